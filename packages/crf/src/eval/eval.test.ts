import { describe, expect, test } from 'vitest';
import { formatConll, parseConll } from './conll.js';
import { chunkF1, evaluateTagging, extractChunks } from './metrics.js';

describe('Linear CRF: evaluation (accuracy, per-tag, chunk F1)', () => {
  test('accuracy, per-tag scores and confusion matrix by hand', () => {
    const gold = [['N', 'V', 'N'], ['D', 'N']];
    const pred = [['N', 'N', 'N'], ['D', 'V']];
    const r = evaluateTagging(gold, pred);
    expect(r.accuracy).toBeCloseTo(3 / 5, 15);
    expect(r.labels).toEqual(['D', 'N', 'V']);
    expect(r.confusion.to2DArray()).toEqual([
      [1, 0, 0],
      [0, 2, 1],
      [0, 1, 0],
    ]);
    const n = r.perTag.find((t) => t.tag === 'N')!;
    expect(n.precision).toBeCloseTo(2 / 3, 15);
    expect(n.recall).toBeCloseTo(2 / 3, 15);
    expect(n.support).toBe(3);
  });

  test('chunks follow conlleval (IOB2 and IOB1 starts)', () => {
    expect(extractChunks(['B-NP', 'I-NP', 'O', 'I-VP', 'B-NP', 'B-NP', 'I-PP'])).toEqual([
      { type: 'NP', start: 0, end: 2 },
      { type: 'VP', start: 3, end: 4 },
      { type: 'NP', start: 4, end: 5 },
      { type: 'NP', start: 5, end: 6 },
      { type: 'PP', start: 6, end: 7 },
    ]);
    const gold = [['B-PER', 'I-PER', 'O', 'B-LOC']];
    const pred = [['B-PER', 'O', 'O', 'B-LOC']];
    const r = chunkF1(gold, pred);
    // gold chunks: PER[0,2), LOC[3,4); predicted: PER[0,1), LOC[3,4) → 1 correct of 2 / 2
    expect(r.precision).toBeCloseTo(0.5, 15);
    expect(r.recall).toBeCloseTo(0.5, 15);
    expect(r.f1).toBeCloseTo(0.5, 15);
    expect(r.perType.find((t) => t.type === 'LOC')!.f1).toBe(1);
  });

  test('CoNLL columns round-trip; -DOCSTART- skipped; bad shapes are typed errors', () => {
    const text = '-DOCSTART- -X- O\n\nEU NNP B-ORG\nrejects VBZ O\n\nPeter NNP B-PER\n';
    const s = parseConll(text);
    expect(s.map((x) => x.tokens)).toEqual([['EU', 'rejects'], ['Peter']]);
    expect(s.map((x) => x.tags)).toEqual([['B-ORG', 'O'], ['B-PER']]);
    expect(parseConll(text, { tagColumn: 1 })[0].tags).toEqual(['NNP', 'VBZ']);
    const out = formatConll(s.map((x) => ({ tokens: x.tokens, columns: [x.columns.map((c) => c[1]), x.tags] })));
    expect(parseConll(out)).toEqual(s);
    expect(() => parseConll('a b\nc\n')).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => parseConll('a b\n', { tagColumn: 5 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => evaluateTagging([['a']], [['a', 'b']])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => formatConll([{ tokens: ['a b'] }])).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});
