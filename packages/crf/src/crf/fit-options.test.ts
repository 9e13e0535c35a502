import { readFileSync } from 'node:fs';
import { AbortError, createRng, minimizeLBFGS } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { parseBrown } from '../corpus/index.js';
import { DEFAULT_TEMPLATES, tokenAttributes } from './attributes.js';
import { buildFeatureTable, type TaggedSentence } from './featureTable.js';
import { CRFModel } from './model.js';
import { CRFObjective } from './objective.js';
import { trainPerceptron, trainPerceptronAsync } from './perceptron.js';
import { type CRFProgress, fitCRF, fitCRFAsync } from './train.js';

const toy: TaggedSentence[] = [
  { tokens: ['The', 'dog', 'runs'], tags: ['D', 'N', 'V'] },
  { tokens: ['a', 'cat', 'sleeps', 'here'], tags: ['D', 'N', 'V', 'R'] },
  { tokens: ['Dogs', 'run'], tags: ['N', 'V'] },
  { tokens: ['the', 'running', 'dog'], tags: ['D', 'A', 'N'] },
];

const slice = parseBrown(readFileSync(new URL('../../fixtures/brown-slice-train.txt', import.meta.url), 'utf8'));

describe('Linear CRF: fitCRF returns the model with a FitReport', () => {
  test('L-BFGS: report fields, extras on the model, frozen', () => {
    const m = fitCRF(toy, { l2: 0.1 });
    expect(m).toBeInstanceOf(CRFModel);
    expect(Object.isFrozen(m)).toBe(true);
    expect(m.report.converged).toBe(true);
    expect(m.report.reason).toBe('converged');
    expect(['gradTol', 'fTol']).toContain(m.report.criterion);
    expect(m.report.trace?.length).toBe(m.report.iterations + 1);
    expect(m.report.evaluations).toBeGreaterThanOrEqual(m.report.iterations);
    expect(m.tokens).toBe(12);
    expect(m.features).toBe(m.weights.length);
    // the model is immutable: writing into the weights it hands out changes neither its predictions nor its JSON
    const json = JSON.stringify(m.toJSON());
    const tags = m.predict(['the', 'dog', 'runs']);
    m.weights.fill(0);
    m.weights[0] = 1e300;
    expect(JSON.stringify(m.toJSON())).toBe(json);
    expect(m.predict(['the', 'dog', 'runs'])).toEqual(tags);
    const capped = fitCRF(toy, { l2: 0.1, maxIterations: 2 });
    expect(capped.report).toMatchObject({ converged: false, reason: 'max-iterations', iterations: 2 });
  });

  test('perceptron: reason completed, one trace entry per epoch', () => {
    const m = fitCRF(toy, { algorithm: 'perceptron', epochs: 4, seed: 3 });
    expect(m.report).toMatchObject({ converged: true, reason: 'completed', iterations: 4 });
    expect(m.report.trace).toHaveLength(4);
  });

  test('onProgress elapsedMs is in milliseconds (was seconds, undocumented): a 30 ms pause in the callback shows as >= 30', () => {
    for (const algorithm of ['lbfgs', 'perceptron'] as const) {
      const seen: CRFProgress[] = [];
      fitCRF(toy, {
        algorithm,
        epochs: 3,
        maxIterations: 3,
        fTol: 0,
        onProgress: (p) => {
          seen.push(p);
          if (p.iteration === 1) {
            const until = performance.now() + 30;
            while (performance.now() < until);
          }
        },
      });
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen[1].elapsedMs).toBeGreaterThanOrEqual(30);
    }
  });

  test('seed and rng are both accepted (same stream), not together; unknown options name the closest key', () => {
    const a = fitCRF(toy, { algorithm: 'perceptron', seed: 5 });
    const b = fitCRF(toy, { algorithm: 'perceptron', rng: createRng(5) });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(() => fitCRF(toy, { algorithm: 'perceptron', seed: 1, rng: createRng(1) })).toThrow(/either option 'seed' or option 'rng'/);
    expect(() => fitCRF(toy, { maxIteration: 3 } as never)).toThrow(/unknown option 'maxIteration'; did you mean 'maxIterations'/);
    expect(() => fitCRF(toy, { l2: '1' } as never)).toThrow(/option 'l2' must be .*got '1' \(string\)/);
    expect(() => fitCRF(toy, { templates: { windw: 2 } } as never)).toThrow(/unknown option 'windw'; did you mean 'window'/);
  });
});

describe('Linear CRF: user attribute function (fitCRF({ attributes }))', () => {
  const viaTemplates = (tokens: readonly string[], t: number) => tokenAttributes(tokens, DEFAULT_TEMPLATES)[t];

  test('a function returning the template attributes gives the templates model (weights to 1e-7, same predictions)', () => {
    const a = fitCRF(toy, { l2: 0.1 });
    const b = fitCRF(toy, { l2: 0.1, attributes: viaTemplates });
    // same features (the ids are numbered in first-seen order, which differs), same weight per feature
    const byName = (m: CRFModel) => {
      const out = new Map<string, number>();
      const t = m.table;
      const w = m.weights;
      t.attrNames.forEach((name, id) => {
        for (let k = t.attrStart[id]; k < t.attrStart[id + 1]; k++) out.set(`${name}|${m.labels[t.stateLabel[k]]}`, w[k]);
      });
      for (let k = t.nState; k < w.length; k++) out.set(`transition ${k - t.nState}`, w[k]);
      return out;
    };
    const wa = byName(a);
    const wb = byName(b);
    expect([...wb.keys()].sort()).toEqual([...wa.keys()].sort());
    let worst = 0;
    for (const [key, v] of wa) worst = Math.max(worst, Math.abs(v - (wb.get(key) as number)));
    expect(worst).toBeLessThan(1e-7);
    for (const s of [...toy, { tokens: ['the', 'jumping', 'cat'], tags: [] }]) expect(b.predict(s.tokens)).toEqual(a.predict(s.tokens));
    expect(b.attributes).toBe(viaTemplates);
    expect(b.templates).toBeUndefined();
  });

  test('a different attribute function is used for training and prediction (last letter only)', () => {
    const last = (tokens: readonly string[], t: number) => [`last=${tokens[t].slice(-1)}`];
    const m = fitCRF(
      [
        { tokens: ['ab', 'cd', 'ab'], tags: ['B', 'D', 'B'] },
        { tokens: ['xd', 'yb'], tags: ['D', 'B'] },
      ],
      { attributes: last, l2: 0.01 },
    );
    expect(m.table.attrNames).toEqual(['last=b', 'last=d']);
    // unseen words, classified by their last letter only
    expect(m.predict(['qqb', 'zzd'])).toEqual(['B', 'D']);
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.templates).toBeNull();
    expect(() => CRFModel.fromJSON(json)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining("option 'attributes'") }));
    const back = CRFModel.fromJSON(json, { attributes: last });
    expect(back.predict(['qqb', 'zzd'])).toEqual(['B', 'D']);
    expect(back.toJSON()).toEqual(json);
  });

  test('bad attribute functions and both templates and attributes are typed errors', () => {
    expect(() => fitCRF(toy, { attributes: () => 'w' as never })).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringMatching(/option 'attributes' must return an array of strings, got 'w' \(string\) for token \[0\]/) }));
    expect(() => fitCRF(toy, { attributes: () => [1] as never })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitCRF(toy, { attributes: viaTemplates, templates: {} })).toThrow(/not both/);
    expect(() => fitCRF(toy, { attributes: 'w' as never })).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

describe('Linear CRF: L-BFGS memory option', () => {
  test('memory reaches the optimiser: same iterates as core minimizeLBFGS on the same objective with that memory', () => {
    const tpl = { ...DEFAULT_TEMPLATES };
    for (const memory of [1, 3]) {
      const m = fitCRF(toy, { l2: 0.1, memory, maxIterations: 8, fTol: 0, gradTol: 1e-12 });
      const { table, encoded } = buildFeatureTable(toy, tpl, 1);
      const obj = new CRFObjective(table, encoded, 0.1);
      const g = new Float64Array(table.nWeights);
      const ref = minimizeLBFGS((w) => ({ value: obj.evaluate(w, g), gradient: g }), new Float64Array(table.nWeights), {
        memory,
        maxIterations: 8,
        fTol: 0,
        gradTol: 1e-12,
      });
      expect(m.report.trace).toEqual(ref.report.trace);
      expect(Array.from(m.weights)).toEqual(Array.from(ref.x));
    }
    const t1 = fitCRF(toy, { l2: 0.1, memory: 1, maxIterations: 8, fTol: 0, gradTol: 1e-12 }).report.trace;
    const t10 = fitCRF(toy, { l2: 0.1, memory: 10, maxIterations: 8, fTol: 0, gradTol: 1e-12 }).report.trace;
    expect(t1).not.toEqual(t10);
    expect(() => fitCRF(toy, { memory: 0 })).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining("'memory'") }));
    expect(() => fitCRF(toy, { memory: 2.5 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

describe('Linear CRF: async twins (one loop, two drivers)', () => {
  test('fitCRFAsync and trainPerceptronAsync give the same models as the sync fits', async () => {
    const strip = (m: CRFModel) => ({ ...m.toJSON(), report: { ...m.report, elapsedMs: 0 } });
    expect(strip(await fitCRFAsync(toy, { l2: 0.1 }))).toEqual(strip(fitCRF(toy, { l2: 0.1 })));
    expect(strip(await fitCRFAsync(toy, { algorithm: 'perceptron', seed: 2 }))).toEqual(strip(fitCRF(toy, { algorithm: 'perceptron', seed: 2 })));
    const { table, encoded } = buildFeatureTable(toy, DEFAULT_TEMPLATES, 1);
    expect(strip(await trainPerceptronAsync(table, encoded, { epochs: 3 }))).toEqual(strip(trainPerceptron(table, encoded, { epochs: 3 })));
    expect(strip(trainPerceptron(table, encoded, { epochs: 3 }))).toEqual(strip(fitCRF(toy, { algorithm: 'perceptron', epochs: 3 })));
    await expect(fitCRFAsync(toy, { l2: -1 })).rejects.toMatchObject({ code: 'domain' });
  });

  test.each(['lbfgs', 'perceptron'] as const)(
    'Brown slice (%s): an abort from setTimeout rejects quickly with the model at the current weights',
    async (algorithm) => {
      const c = new AbortController();
      let fired = 0;
      let iterations = 0;
      const p = fitCRFAsync(slice, {
        algorithm,
        epochs: 1000,
        maxIterations: 1000,
        fTol: 0,
        gradTol: 1e-300,
        signal: c.signal,
        onProgress: (q) => {
          iterations = q.iteration;
        },
      });
      setTimeout(() => {
        fired = performance.now();
        c.abort();
      }, 300);
      const err = await p.catch((e: unknown) => e);
      const latency = performance.now() - fired;
      expect(err).toBeInstanceOf(AbortError);
      expect((err as AbortError).message).toMatch(/^fitCRFAsync: aborted/);
      const partial = (err as AbortError).partial as CRFModel;
      expect(partial).toBeInstanceOf(CRFModel);
      expect(partial.report?.reason).toBe('aborted');
      if (algorithm === 'lbfgs') expect(partial.report?.iterations).toBe(iterations);
      // the partial model tags: most training tokens right after even a few iterations / a fraction of an epoch
      const right = slice.slice(0, 50).flatMap((s) => partial.predict(s.tokens).map((t, i) => (t === s.tags[i] ? 1 : 0)));
      expect(right.reduce((a: number, b: number) => a + b, 0) / right.length).toBeGreaterThan(0.3);
      console.log(`fitCRFAsync (${algorithm}) on the Brown slice (${slice.length} sentences): abort latency ${latency.toFixed(1)} ms`);
      // generous bound for a busy 2-core machine (one objective evaluation or 256 sentences)
      expect(latency).toBeLessThan(3000);
    },
    20_000,
  );
});

describe('Linear CRF: an already aborted signal', () => {
  test('stops fitCRF / fitCRFAsync before the feature table is built (the attribute function is never called)', async () => {
    const c = new AbortController();
    c.abort();
    let calls = 0;
    const attributes = (tokens: readonly string[], t: number) => {
      calls++;
      return [tokens[t]];
    };
    expect(() => fitCRF(toy, { attributes, signal: c.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    await expect(fitCRFAsync(toy, { attributes, signal: c.signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(calls).toBe(0);
  });
});
