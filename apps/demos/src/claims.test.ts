import { describe, expect, test } from 'vitest';
import { atLeast, atMost, between, equals, everyOf, near } from './claims.js';
import { notesLine } from './notes-index.js';
import { claimCounts, renderReport } from './report.js';

describe('claims compute holds from the measured value', () => {
  test('each helper holds exactly when its comparison does', () => {
    expect(atMost('a', 1e-10, 1e-9).holds).toBe(true);
    expect(atMost('a', 2e-9, 1e-9).holds).toBe(false);
    expect(atMost('a', Number.NaN, 1).holds).toBe(false);
    expect(atLeast('a', 0.97, 0.95).holds).toBe(true);
    expect(atLeast('a', Number.NaN, 0).holds).toBe(false);
    expect(between('a', -0.5, -0.55, -0.45).holds).toBe(true);
    expect(between('a', -0.4, -0.55, -0.45).holds).toBe(false);
    expect(near('a', 1.05, 1, 0.1).holds).toBe(true);
    expect(near('a', 1.2, 1, 0.1).holds).toBe(false);
    expect(equals('a', 3, 3).holds).toBe(true);
    expect(equals('a', '3', 3).holds).toBe(false);
    expect(everyOf('a', [1, 2, 3], (v, i) => i === 0 || v > 1).holds).toBe(true);
    expect(everyOf('a', [], () => true).holds).toBe(false);
  });
  test('the report counts claims, marks failures and links the notes section', async () => {
    const demo = { id: 'x/y', title: 'T', section: 'NFL 定理', notes: 'NFL 定理', order: 1, code: ['packages/a/src/b.ts'], run: () => ({ metrics: {}, plots: [] }) };
    const result = { metrics: {}, plots: [], claims: [atMost('ok', 0, 1), atMost('bad', 2, 1)] };
    expect(claimCounts({ demo, result, seconds: 0 })).toEqual({ held: 1, total: 2 });
    const html = await renderReport([{ demo, result, seconds: 0 }], 'now');
    expect(html).toContain('Summary: 1 of 2 claims hold');
    expect(html).toContain('<tr class="fail"><td>✗</td><td>bad</td>');
    const line = notesLine('NFL 定理');
    expect(line).toBeGreaterThan(136);
    expect(html).toContain(`notes.html#L${line}`);
    expect(html).toContain('href="../../../packages/a/src/b.ts"');
  });
});

describe('section links', () => {
  test('every linked path exists and every linked notes heading is found in the notes', async () => {
    const { existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { DEMO_LINKS } = await import('./links.js');
    const { REPO_ROOT } = await import('./notes-index.js');
    for (const [id, l] of Object.entries(DEMO_LINKS)) {
      for (const p of [...l.code, ...l.tests]) expect(existsSync(join(REPO_ROOT, p)), `${id}: ${p}`).toBe(true);
      if (l.notes) expect(notesLine(l.notes), `${id}: notes heading '${l.notes}'`).toBeGreaterThan(0);
    }
  });
});
