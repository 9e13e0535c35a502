import { describe, expect, test } from 'vitest';
import { DirectedGraph, UndirectedGraph } from './graph.js';

describe('图 (Graph): directed and undirected graphs', () => {
  test('parents, children and a topological order', () => {
    const g = new DirectedGraph(4, [
      [0, 2],
      [1, 2],
      [2, 3],
    ]);
    expect(g.parents(2)).toEqual([0, 1]);
    expect(g.children(2)).toEqual([3]);
    const order = g.topologicalOrder();
    expect(order).toEqual([0, 1, 2, 3]);
    for (const [v, w] of g.edges) expect(order.indexOf(v)).toBeLessThan(order.indexOf(w));
  });

  test('cycles are detected', () => {
    const g = new DirectedGraph(3, [
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    expect(g.isAcyclic()).toBe(false);
    expect(() => g.topologicalOrder()).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('undirected: (v, w) = (w, v), components, forests', () => {
    const g = new UndirectedGraph(5, [
      [1, 0],
      [1, 2],
      [3, 4],
    ]);
    expect(g.edges[0]).toEqual([0, 1]);
    expect(g.neighbours(1)).toEqual([0, 2]);
    expect(g.components()).toEqual([[0, 1, 2], [3, 4]]);
    expect(g.isForest()).toBe(true);
    expect(
      new UndirectedGraph(3, [
        [0, 1],
        [1, 2],
        [0, 2],
      ]).isForest(),
    ).toBe(false);
    expect(() => new UndirectedGraph(2, [[0, 1], [1, 0]])).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('bad edges throw typed errors', () => {
    expect(() => new DirectedGraph(2, [[0, 2]])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => new DirectedGraph(2, [[1, 1]])).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
