import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { createHMM } from '../hmm/index.js';
import { forEachAttribute, resolveTemplates, wordShape } from './attributes.js';
import { AttributeEncoder } from './encoder.js';
import { buildFeatureTable, encodeSentences, type TaggedSentence } from './featureTable.js';
import { CRFModel } from './model.js';
import { CRFObjective } from './objective.js';
import { fitCRF } from './train.js';

const toy: TaggedSentence[] = [
  { tokens: ['The', 'dog', 'runs'], tags: ['D', 'N', 'V'] },
  { tokens: ['a', 'cat', 'sleeps', 'here'], tags: ['D', 'N', 'V', 'R'] },
  { tokens: ['Dogs', 'run'], tags: ['N', 'V'] },
  { tokens: ['the', 'running', 'dog'], tags: ['D', 'A', 'N'] },
];

function setup(l2: number) {
  const tpl = resolveTemplates('test', { prefixes: [1], suffixes: [2], window: 1 });
  const { table, encoded: enc } = buildFeatureTable(toy, tpl, 1);
  // encoding the same sentences against the finished table gives the same ids
  expect(encodeSentences(table, tpl, toy)).toEqual(enc);
  const obj = new CRFObjective(table, enc, l2);
  const rng = createRng(3);
  const w = Float64Array.from({ length: table.nWeights }, () => 0.5 * rng.normal());
  return { tpl, table, enc, obj, w };
}

describe('Linear CRF: feature templates', () => {
  test('the cached encoder yields exactly the attributes of forEachAttribute', () => {
    const tpl = resolveTemplates('test', { window: 2 });
    const names: string[] = [];
    const index = new Map<string, number>();
    const enc = new AttributeEncoder(tpl, (a) => {
      if (!index.has(a)) {
        index.set(a, names.length);
        names.push(a);
      }
      return index.get(a) as number;
    });
    const sentences = [['The', 'U.S.', 'rose', '3.5%'], ['rose', 'The'], ['x']];
    for (const s of sentences) {
      const want: string[][] = s.map(() => []);
      forEachAttribute(s, tpl, (t, a) => want[t].push(a));
      const got: string[][] = s.map(() => []);
      enc.encode(s, (t, id) => got[t].push(names[id]));
      expect(got.map((g) => [...g].sort())).toEqual(want.map((w) => [...w].sort()));
    }
    expect(wordShape("McDonald's")).toBe("XxXx'x");
    expect(wordShape('1,024')).toBe('d,d');
  });
});

describe('Linear CRF: training objective', () => {
  test('gradient matches central finite differences', () => {
    const { obj, w, table } = setup(0.7);
    const g = new Float64Array(table.nWeights);
    obj.evaluate(w, g);
    const scratch = new Float64Array(table.nWeights);
    const h = 1e-5;
    let worst = 0;
    for (let k = 0; k < table.nWeights; k++) {
      const wp = w.slice();
      wp[k] += h;
      const wm = w.slice();
      wm[k] -= h;
      const fd = (obj.evaluate(wp, scratch) - obj.evaluate(wm, scratch)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - g[k]) / Math.max(1, Math.abs(fd)));
    }
    expect(worst).toBeLessThan(1e-6);
    // the log-space reference kernel gives the same objective and gradient
    const { table: t2, enc: e2 } = setup(0.7);
    const g2 = new Float64Array(t2.nWeights);
    const f2 = new CRFObjective(t2, e2, 0.7, 'log').evaluate(w, g2);
    expect(f2).toBeCloseTo(obj.evaluate(w, scratch), 10);
    for (let k = 0; k < g.length; k++) expect(g2[k]).toBeCloseTo(g[k], 10);
  });

  test('mini-batch objectives (for SGD) over a partition of the data add up to the full objective', () => {
    const { obj, w, table } = setup(0.7);
    const full = new Float64Array(table.nWeights);
    const f = obj.evaluate(w, full);
    const part = new Float64Array(table.nWeights);
    const sum = new Float64Array(table.nWeights);
    let fs = 0;
    for (const [a, b] of [
      [0, 1],
      [1, 3],
      [3, 4],
    ]) {
      fs += obj.evaluate(w, part, a, b);
      for (let k = 0; k < sum.length; k++) sum[k] += part[k];
    }
    expect(fs).toBeCloseTo(f, 10);
    for (let k = 0; k < sum.length; k++) expect(sum[k]).toBeCloseTo(full[k], 10);
  });

  test('gradient = expected − empirical counts, with expectations by enumerating all tag paths', () => {
    const { obj, w, table, tpl, enc } = setup(0);
    const g = new Float64Array(table.nWeights);
    obj.evaluate(w, g);
    const model = new CRFModel(table, tpl, w);
    const Y = table.labels.length;
    const expected = new Float64Array(table.nWeights);
    const empirical = new Float64Array(table.nWeights);
    const counts = (s: number, y: number[], into: Float64Array, p: number) => {
      const t0 = enc.seqStart[s];
      y.forEach((yt, t) => {
        for (let q = enc.tokStart[t0 + t]; q < enc.tokStart[t0 + t + 1]; q++) {
          const a = enc.attrIds[q];
          for (let k = table.attrStart[a]; k < table.attrStart[a + 1]; k++) if (table.stateLabel[k] === yt) into[k] += p;
        }
        if (t > 0) into[table.nState + y[t - 1] * Y + yt] += p;
      });
    };
    toy.forEach((sent, s) => {
      const T = sent.tokens.length;
      let total = 0;
      for (let c = 0; c < Y ** T; c++) {
        const y = Array.from({ length: T }, (_, t) => Math.floor(c / Y ** (T - 1 - t)) % Y);
        const p = Math.exp(model.logProbability(sent.tokens, y.map((k) => table.labels[k])));
        total += p;
        counts(s, y, expected, p);
      }
      expect(total).toBeCloseTo(1, 12); // Z(x) is the enumerated normaliser
      counts(s, sent.tags.map((t) => table.labelIndex.get(t) as number), empirical, 1);
    });
    for (let k = 0; k < table.nWeights; k++) expect(g[k]).toBeCloseTo(expected[k] - empirical[k], 10);
  });
});

describe('Linear CRF: an HMM is a CRF with log-probability weights', () => {
  test('same Viterbi path and marginals', () => {
    const pi = [0.5, 0.3, 0.2];
    const A = [
      [0.6, 0.3, 0.1],
      [0.2, 0.5, 0.3],
      [0.3, 0.3, 0.4],
    ];
    const B = [
      [0.5, 0.3, 0.1, 0.1],
      [0.1, 0.2, 0.3, 0.4],
      [0.25, 0.25, 0.25, 0.25],
    ];
    const hmm = createHMM({ initial: pi, transition: A, emission: B });
    // attributes: w=<symbol> (μ_oi = log B_io) and BOS on the first token (log π_i)
    const attributes = ['BOS', 'w=0', 'w=1', 'w=2', 'w=3'];
    const weights: number[] = [...pi.map(Math.log)];
    for (let o = 0; o < 4; o++) for (let i = 0; i < 3; i++) weights.push(Math.log(B[i][o]));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) weights.push(Math.log(A[i][j]));
    const crf = CRFModel.fromJSON({
      kind: 'crf',
      version: 1,
      labels: ['s0', 's1', 's2'],
      templates: { word: true, lower: false, prefixes: [], suffixes: [], shape: false, window: 0, bias: false, bosEos: true },
      attributes,
      attrStart: [0, 3, 6, 9, 12, 15],
      stateLabels: Array.from({ length: 15 }, (_, k) => k % 3),
      weights,
    });
    const x = [0, 3, 3, 1, 2, 0, 1];
    const tokens = x.map(String);
    expect(Array.from(crf.predictIds(tokens))).toEqual(Array.from(hmm.viterbi(x).path));
    const mc = crf.marginals(tokens);
    const mh = hmm.posteriors(x);
    for (let t = 0; t < x.length; t++) for (let k = 0; k < 3; k++) expect(mc.get(t, k)).toBeCloseTo(mh.get(t, k), 12);
    // log Z(x) of the CRF is log p(x) of the HMM
    expect(crf.logPartition(tokens)).toBeCloseTo(hmm.logLikelihood(x), 12);
  });
});

describe('Linear CRF: fitCRF, predict, toJSON', () => {
  test('L-BFGS fits the training data, handles unknown words by suffix, round-trips exactly', () => {
    const model = fitCRF(toy, { l2: 0.1 });
    expect(model.report.converged).toBe(true);
    const trace = model.report.trace ?? [];
    for (let k = 1; k < trace.length; k++) expect(trace[k]).toBeLessThanOrEqual(trace[k - 1] + 1e-12);
    for (const s of toy) expect(model.predict(s.tokens)).toEqual(s.tags);
    // 'jumping' is unseen: its suffix "ng" (from 'running') and neighbours decide
    expect(model.predict(['the', 'jumping', 'dog'])).toEqual(['D', 'A', 'N']);
    const again = CRFModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const m1 = model.marginals(['a', 'dog', 'sleeps']);
    const m2 = again.marginals(['a', 'dog', 'sleeps']);
    expect(m2.to2DArray()).toEqual(m1.to2DArray());
    const rows = m1.to2DArray();
    for (const r of rows) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  test('averaged perceptron fits the training data (seeded, reproducible)', () => {
    const a = fitCRF(toy, { algorithm: 'perceptron', epochs: 10, rng: createRng(1) });
    const b = fitCRF(toy, { algorithm: 'perceptron', epochs: 10, rng: createRng(1) });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    for (const s of toy) expect(a.predict(s.tokens)).toEqual(s.tags);
  });

  test('bad input gives typed errors', () => {
    expect(() => fitCRF([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitCRF([{ tokens: ['a'], tags: [] }])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitCRF([{ tokens: [], tags: [] }])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitCRF(toy, { l2: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    // non-string tokens/tags and a non-array data argument are shape errors naming the argument, not TypeErrors
    const bad = [{ tokens: ['a', 1], tags: ['D', 'N'] }, { tokens: ['a'], tags: [null] }] as unknown as TaggedSentence[];
    expect(() => fitCRF([bad[0]])).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'data[0].tokens[1]'") }));
    expect(() => fitCRF([bad[1]])).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'data[0].tags[0]'") }));
    expect(() => fitCRF(null as unknown as TaggedSentence[])).toThrow(expect.objectContaining({ code: 'shape' }));
    const model = fitCRF(toy, { maxIterations: 5 });
    expect(() => model.predict([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => model.logProbability(['a'], ['Q'])).toThrow(expect.objectContaining({ code: 'domain' }));
    const j = model.toJSON();
    expect(() => CRFModel.fromJSON({ ...j, weights: j.weights.slice(1) })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => CRFModel.fromJSON({ ...j, weights: j.weights.map(() => Number.NaN) })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    // duplicate labels/attributes would make name → index ambiguous; fractional offsets were truncated silently
    expect(() => CRFModel.fromJSON({ ...j, labels: j.labels.map(() => j.labels[0]) })).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining("'labels'") }));
    expect(() => CRFModel.fromJSON({ ...j, attributes: j.attributes.map(() => j.attributes[0]) })).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining("'attributes'") }));
    expect(() => CRFModel.fromJSON({ ...j, attrStart: j.attrStart.map((v, i) => (i === 1 ? v + 0.5 : v)) })).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining('attrStart[1]') }));
    // finite but huge weights: sums overflow, which is a DomainError rather than NaN/±∞ marginals or log-probabilities
    const huge = CRFModel.fromJSON({ ...j, weights: j.weights.map(() => 1e308) });
    for (const f of [() => huge.logPartition(['The', 'dog']), () => huge.marginals(['The', 'dog']), () => huge.logProbability(['The', 'dog'], ['D', 'N']), () => huge.predict(['The', 'dog'])]) {
      expect(f).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining('overflow') }));
    }
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => fitCRF(toy, { signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});
