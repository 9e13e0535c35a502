import { readFileSync } from 'node:fs';
import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { parseBrown } from '../corpus/index.js';
import { resolveTemplates } from './attributes.js';
import { buildFeatureTable, type TaggedSentence } from './featureTable.js';
import { CRFObjective } from './objective.js';

const slice = parseBrown(readFileSync(new URL('../../fixtures/brown-slice-train.txt', import.meta.url), 'utf8')).slice(0, 400);

/** Objective and gradient of the segmented fast path ('scaled', full data) and of the per-sentence log-space path. */
function both(data: readonly TaggedSentence[], weights: (nWeights: number, nState: number, labels: readonly string[], attrNames: readonly string[]) => Float64Array) {
  const { table, encoded } = buildFeatureTable(data, resolveTemplates('test', {}), 1);
  const w = weights(table.nWeights, table.nState, table.labels, table.attrNames);
  const gFast = new Float64Array(table.nWeights);
  const gLog = new Float64Array(table.nWeights);
  const fFast = new CRFObjective(table, encoded, 0.5, 'scaled').evaluate(w, gFast);
  const fLog = new CRFObjective(table, encoded, 0.5, 'log').evaluate(w, gLog);
  return { fFast, fLog, gFast, gLog, table };
}

function expectSame(r: ReturnType<typeof both>): void {
  expect(Math.abs(r.fFast - r.fLog)).toBeLessThan(1e-10 * Math.abs(r.fLog));
  let worst = 0;
  for (let k = 0; k < r.gLog.length; k++) worst = Math.max(worst, Math.abs(r.gFast[k] - r.gLog[k]) / Math.max(1, Math.abs(r.gLog[k])));
  expect(worst).toBeLessThan(1e-9);
}

describe('Linear CRF: training objective — segmented expected counts vs the log-space reference', () => {
  test('Brown slice (12 tags, default templates), random weights: same objective and gradient', () => {
    const rng = createRng(11);
    const r = both(slice, (n) => Float64Array.from({ length: n }, () => 0.5 * rng.normal()));
    expect(r.table.labels.length).toBe(12);
    expectSame(r);
  });

  test('sentences whose scaled recursion underflows fall back to the log-space kernels', () => {
    // bias +1000 for tag N on every token and every transition out of N at −2000: the scaled forward sum underflows
    const r = both(slice.slice(0, 40), (n, nState, labels, attrNames) => {
      const w = new Float64Array(n);
      const Y = labels.length;
      const N = labels.indexOf('NOUN');
      const { table } = buildFeatureTable(slice.slice(0, 40), resolveTemplates('test', {}), 1);
      const b = attrNames.indexOf('b');
      for (let k = table.attrStart[b]; k < table.attrStart[b + 1]; k++) if (table.stateLabel[k] === N) w[k] = 1000;
      for (let j = 0; j < Y; j++) w[nState + N * Y + j] = -2000;
      return w;
    });
    expect(Number.isFinite(r.fFast)).toBe(true);
    expectSame(r);
  });

  test('huge weights that cancel (−800 on the bias, +800 on BOS/EOS) do not underflow the factored exp rows', () => {
    // per factor, e^{−800} underflows; on the first and last tokens the sum u_t(NOUN) is moderate again
    const data = slice.slice(0, 40);
    const r = both(data, (n, _nState, labels, attrNames) => {
      const w = new Float64Array(n);
      const N = labels.indexOf('NOUN');
      const { table } = buildFeatureTable(data, resolveTemplates('test', {}), 1);
      for (const [name, v] of [['b', -800], ['BOS', 800], ['EOS', 800]] as const) {
        const a = attrNames.indexOf(name);
        for (let k = table.attrStart[a]; k < table.attrStart[a + 1]; k++) if (table.stateLabel[k] === N) w[k] = v;
      }
      return w;
    });
    expectSame(r);
  });

  test('a loose factored bound (±650 cancelling) with the mass on a label 90 nats below the rest stays exact', () => {
    // first token: bias NOUN −650 and BOS NOUN +650 (the exp'd factors' maxima sit at different labels), bias VERB
    // −90, and every transition out of any label but VERB at −2000, so VERB at t = 0 carries the whole path mass
    const data = slice.slice(0, 40);
    const r = both(data, (n, nState, labels, attrNames) => {
      const w = new Float64Array(n);
      const Y = labels.length;
      const N = labels.indexOf('NOUN');
      const V = labels.indexOf('VERB');
      const { table } = buildFeatureTable(data, resolveTemplates('test', {}), 1);
      const set = (name: string, label: number, v: number) => {
        const a = attrNames.indexOf(name);
        for (let k = table.attrStart[a]; k < table.attrStart[a + 1]; k++) if (table.stateLabel[k] === label) w[k] = v;
      };
      set('b', N, -650);
      set('BOS', N, 650);
      set('b', V, -90);
      for (let i = 0; i < Y; i++) for (let j = 0; j < Y; j++) if (i !== V) w[nState + i * Y + j] = -2000;
      return w;
    });
    expectSame(r);
  });
});

describe('Linear CRF: training objective — huge weight ranges', () => {
  test('a subnormal exp(A − max A) on the path that later dominates goes to the log-space kernels', () => {
    // u = [[−745, 0], [0, 300], [0, 0]], A = [[0, 0], [411, −300]]: the scaled recursion kept a subnormal forward
    // entry (e^{−711}) that becomes the path mass at t = 2 — f was off and the gradient had NaN before the range check
    const data: TaggedSentence[] = [{ tokens: ['x0', 'x1', 'x2'], tags: ['T0', 'T1', 'T0'] }];
    const { table, encoded } = buildFeatureTable(data, resolveTemplates('test', { window: 0 }), 1);
    const w = new Float64Array(table.nWeights);
    const set = (name: string, label: number, v: number) => {
      const a = table.attrIndex.get(name) ?? -1;
      for (let k = table.attrStart[a]; k < table.attrStart[a + 1]; k++) if (table.stateLabel[k] === label) w[k] = v;
    };
    set('w=x0', 0, -745);
    set('w=x1', 1, 300);
    w.set([0, 0, 411, -300], table.nState);
    const gFast = new Float64Array(table.nWeights);
    const gLog = new Float64Array(table.nWeights);
    const fFast = new CRFObjective(table, encoded, 0, 'scaled').evaluate(w, gFast);
    const fLog = new CRFObjective(table, encoded, 0, 'log').evaluate(w, gLog);
    expect(gFast.every(Number.isFinite)).toBe(true);
    expectSame({ fFast, fLog, gFast, gLog, table });
  });
});
