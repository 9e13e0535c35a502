import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { createAdamOptimizer, createRng, crossEntropyWithLogitsLoss, gradcheck, jacobian, noGrad, ops, sampleNormalArray, Tensor, variableGrads } from '@notes/core-linalg';
import { afterAll, describe, expect, test } from 'vitest';
import { associativeRecall, associativeRecallAnswer, fitSequenceModel, fitSequenceModelAsync, type SequenceMixer, SequenceModel, type SequenceModelJSON, type SequenceModelOptions } from '../index.js';
import { SequenceNet, schedule } from './model.js';

const tiny = (mixer: SequenceMixer, extra: Record<string, unknown> = {}) => ({ mixer, layers: 2, width: 8, order: 2, heads: 2, epochs: 1, batchSize: 2, seed: 3, ...extra });
const tinyData = (L = 8, count = 4, seed = 1) => associativeRecall({ vocabulary: 6, length: L, count, seed });

describe('associative recall generator', () => {
  test.each([
    [10, 64],
    [20, 256],
    [30, 4096],
  ])('vocabulary %i, length %i: [bos], key–value pairs, query; the answer is unique and found by lookup', (V, L) => {
    const d = associativeRecall({ vocabulary: V, length: L, count: L > 1000 ? 3 : 20, seed: 7 });
    expect(d.sequences).toHaveLength(L > 1000 ? 3 : 20);
    const keys = Math.floor(V / 2);
    d.sequences.forEach((s, i) => {
      expect(s.length).toBe(L + 1);
      expect(s[0]).toBe(V);
      for (let t = 1; t < L - 1; t += 2) {
        expect(s[t]).toBeLessThan(keys);
        expect(s[t + 1]).toBeGreaterThanOrEqual(keys);
        expect(s[t + 1]).toBeLessThan(V);
      }
      expect(s[L - 1]).toBe(d.queries[i]);
      expect(s[L]).toBe(d.answers[i]);
      // independent lookup (throws if the query is missing or paired with two values)
      expect(associativeRecallAnswer(s)).toBe(d.answers[i]);
      expect(associativeRecallAnswer(s.subarray(0, L))).toBe(d.answers[i]);
    });
  });

  test('seeded: the same seed gives the same sequences, seed and rng agree, different seeds differ', () => {
    const a = associativeRecall({ vocabulary: 20, length: 64, count: 5, seed: 11 });
    const b = associativeRecall({ vocabulary: 20, length: 64, count: 5, rng: createRng(11) });
    expect(a.sequences.map((s) => Array.from(s))).toEqual(b.sequences.map((s) => Array.from(s)));
    const c = associativeRecall({ vocabulary: 20, length: 64, count: 5, seed: 12 });
    expect(c.sequences.map((s) => Array.from(s))).not.toEqual(a.sequences.map((s) => Array.from(s)));
  });

  test('the lookup rejects sequences without a unique answer; a non-object options argument is a typed error', async () => {
    expect(() => associativeRecallAnswer([6, 0, 3, 0, 4, 0])).toThrow(/two values/);
    expect(() => associativeRecallAnswer([6, 0, 3, 1, 4, 2])).toThrow(/does not occur/);
    expect(() => associativeRecall({ vocabulary: 20, length: 63 })).toThrow(/even/);
    expect(() => associativeRecall({ vocabulary: 20, length: 64, cout: 3 } as never)).toThrow(/did you mean 'count'/);
    for (const bad of [3, 'x', [], true]) {
      expect(() => fitSequenceModel(tinyData(), bad as never)).toThrow(expect.objectContaining({ code: 'domain' }));
      await expect(fitSequenceModelAsync(tinyData(), bad as never)).rejects.toMatchObject({ code: 'domain' });
    }
  });
});

/**
 * Largest |∂z_i[v]/∂x_j[w]| over future inputs (j > i) and over past ones (j ≤ i) of a Jacobian [L, V, L, W]:
 * a causal model has `future` = 0 while `past` is not.
 */
function futureAndPastSensitivity(J: Tensor, L: number, V: number, W: number): { future: number; past: number } {
  let future = 0;
  let past = 0;
  for (let i = 0; i < L; i++)
    for (let v = 0; v < V; v++)
      for (let j = 0; j < L; j++)
        for (let w = 0; w < W; w++) {
          const g = Math.abs(J.data[((i * V + v) * L + j) * W + w] as number);
          if (j > i) future = Math.max(future, g);
          else past = Math.max(past, g);
        }
  return { future, past };
}

describe('causality of the full model by the autodiff Jacobian: ∂z_i/∂x_j = 0 for j > i', () => {
  test.each(['hyena', 'attention'] as const)('%s, 2 blocks, L = 10', (mixer) => {
    const model = fitSequenceModel(tinyData(10), tiny(mixer, { lr: 0.05, epochs: 2 }));
    const L = 10;
    const { width: W, vocabulary: V } = model.architecture;
    const x = new Tensor(sampleNormalArray(createRng(4), L * W), [L, W]);
    const J = jacobian((u) => model.forwardEmbedded(u))(x); // [L, V, L, W]
    expect(J.shape).toEqual([L, V, L, W]);
    const { future, past } = futureAndPastSensitivity(J, L, V, W);
    expect(future).toBeLessThan(1e-12);
    expect(past).toBeGreaterThan(1e-3);
  });
});

describe('gradients vs central differences', () => {
  test.each(['hyena', 'attention'] as const)('%s block: input gradient (gradcheck) and every parameter tensor', (mixer) => {
    const model = fitSequenceModel(tinyData(8, 2), tiny(mixer, { layers: 1, width: 4, lr: 0.05 }));
    const L = 6;
    const x = new Tensor(sampleNormalArray(createRng(5), L * 4), [L, 4]);
    expect(gradcheck((u) => model.forwardEmbedded(u), [x], { eps: 1e-5, tol: 1e-5 }).maxRelError).toBeLessThan(1e-5);
    // every parameter tensor: reverse mode vs central differences on three entries each
    const V = model.architecture.vocabulary;
    const r = new Tensor(sampleNormalArray(createRng(6), L * V), [L, V]);
    const objective = () => ops.sum(ops.mul(model.forwardEmbedded(x), r));
    const params = model.namedParameters();
    const { grads } = variableGrads(objective, params.map(([, t]) => t));
    let worst = 0;
    params.forEach(([, t], k) => {
      const g = (grads[k] as Tensor).data;
      for (const i of [0, Math.floor(t.size / 2), t.size - 1]) {
        const h = 1e-5;
        const keep = t.data[i] as number;
        t.data[i] = keep + h;
        const up = noGrad(objective).data[0] as number;
        t.data[i] = keep - h;
        const down = noGrad(objective).data[0] as number;
        t.data[i] = keep;
        const fd = (up - down) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - (g[i] as number)) / Math.max(1e-6, Math.abs(fd), Math.abs(g[i] as number)));
      }
    });
    expect(params.length).toBeGreaterThan(8);
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('training', () => {
  test('seeded runs are identical (sync and async), loss decreases on a tiny set', async () => {
    const data = tinyData(8, 6);
    const a = fitSequenceModel(data, tiny('hyena', { epochs: 15, lr: 0.02 }));
    const b = fitSequenceModel(data, tiny('hyena', { epochs: 15, lr: 0.02 }));
    const c = await fitSequenceModelAsync(data, tiny('hyena', { epochs: 15, lr: 0.02 }));
    const strip = (m: SequenceModel) => JSON.stringify({ ...m.toJSON(), report: { ...m.report, elapsedMs: 0 } });
    expect(strip(a)).toBe(strip(b));
    expect(strip(a)).toBe(strip(c));
    const trace = a.report.trace as readonly number[];
    expect(trace.at(-1)).toBeLessThan((trace[0] as number) - 0.3);
    expect(a.report).toMatchObject({ converged: true, reason: 'completed', iterations: 45 });
  });

  test.each(['hyena', 'attention'] as const)('%s: the batched step (one [B·L] tape) gives the losses of one tape per sequence with averaged gradients', (mixer) => {
    const data = tinyData(8, 4);
    const opts = tiny(mixer, { epochs: 3, batchSize: 4, lr: 0.02 });
    const fit = fitSequenceModel(data, opts);
    // the previous training loop: same initial weights and optimiser, one tape per sequence, gradients averaged
    const net = new SequenceNet(fit.architecture);
    const params = net.parameters();
    const opt = createAdamOptimizer(params, { lr: 0.02, weightDecay: 0, clipNorm: 1 });
    const trace: number[] = [];
    for (let step = 0; step < 3; step++) {
      const sum = params.map((t) => new Float64Array(t.size));
      let loss = 0;
      for (const s of data.sequences) {
        const { value, grads } = variableGrads(() => crossEntropyWithLogitsLoss(net.logits(net.embed(s.subarray(0, 8))), s.subarray(1)), params);
        loss += value / 4;
        grads.forEach((g, k) => {
          for (let i = 0; i < g.size; i++) (sum[k] as Float64Array)[i] += (g.data[i] as number) / 4;
        });
      }
      trace.push(loss);
      opt.lr = schedule(step, 3, 0.02);
      opt.step(sum.map((g, k) => new Tensor(g, (params[k] as Tensor).shape)));
    }
    (fit.report.trace as number[]).forEach((v, k) => {
      expect(Math.abs(v - (trace[k] as number))).toBeLessThan(1e-12 * (trace[k] as number));
    });
    expect(trace[2]).not.toBe(trace[0]);
  });

  test('learning-rate schedule: closed-form values; the defaults are the earlier schedule bit for bit', () => {
    // the schedule of the earlier releases (10 % warm-up, cosine to 10 %), written out independently
    const old = (step: number, total: number, peak: number) => {
      const warm = Math.max(1, Math.floor(0.1 * total));
      if (step < warm) return (peak * (step + 1)) / warm;
      const p = (step - warm) / Math.max(1, total - warm);
      return peak * (0.1 + 0.45 * (1 + Math.cos(Math.PI * Math.min(1, p))));
    };
    for (const total of [1, 3, 10, 57]) for (let k = 0; k < total; k++) expect(schedule(k, total, 3e-3)).toBe(old(k, total, 3e-3));
    // no warm-up, peak 1, final 0.01, 10 steps: p = k/10
    const cos = { kind: 'cosine', finalRatio: 0.01, warmup: 0 } as const;
    const lin = { ...cos, kind: 'linear' } as const;
    expect(schedule(0, 10, 1, cos)).toBe(1);
    expect(schedule(5, 10, 1, cos)).toBeCloseTo(0.505, 15);
    expect(schedule(9, 10, 1, cos)).toBeCloseTo(0.01 + 0.99 * 0.5 * (1 + Math.cos(0.9 * Math.PI)), 15);
    expect(schedule(9, 10, 1, lin)).toBeCloseTo(0.109, 15);
    expect(schedule(7, 10, 2, { ...cos, kind: 'constant' })).toBe(2);
    // warm-up of 25 % of 20 steps = 5 steps: peak·(k+1)/5, then the decay starts at the peak
    const warm = { ...lin, warmup: 0.25 };
    expect([0, 1, 4, 5].map((k) => schedule(k, 20, 1, warm))).toEqual([0.2, 0.4, 1, 1]);
  });

  test('lrSchedule / lrFinal / warmup: the rates fitSequenceModel applies are the closed-form ones', () => {
    const data = tinyData(8, 4);
    const steps = 4;
    const opts = tiny('attention', { epochs: steps, batchSize: 4, lr: 0.03, lrSchedule: 'linear', lrFinal: 0.001, warmup: 0 });
    const fit = fitSequenceModel(data, opts);
    // independent loop: one tape per sequence, averaged gradients, lr_k = lr + (lrFinal − lr)·k/steps
    const net = new SequenceNet(fit.architecture);
    const params = net.parameters();
    const opt = createAdamOptimizer(params, { lr: 0.03, weightDecay: 0, clipNorm: 1 });
    const trace: number[] = [];
    for (let k = 0; k < steps; k++) {
      const sum = params.map((t) => new Float64Array(t.size));
      let loss = 0;
      for (const s of data.sequences) {
        const { value, grads } = variableGrads(() => crossEntropyWithLogitsLoss(net.logits(net.embed(s.subarray(0, 8))), s.subarray(1)), params);
        loss += value / 4;
        grads.forEach((g, i) => {
          for (let j = 0; j < g.size; j++) (sum[i] as Float64Array)[j] += (g.data[j] as number) / 4;
        });
      }
      trace.push(loss);
      opt.lr = 0.03 + ((0.001 - 0.03) * k) / steps;
      opt.step(sum.map((g, i) => new Tensor(g, (params[i] as Tensor).shape)));
    }
    (fit.report.trace as number[]).forEach((v, k) => {
      expect(Math.abs(v - (trace[k] as number))).toBeLessThan(1e-12 * (trace[k] as number));
    });
    // the options matter (the comparison is not vacuous): the default schedule gives other losses
    const other = fitSequenceModel(data, tiny('attention', { epochs: steps, batchSize: 4, lr: 0.03 }));
    expect(Math.abs(((other.report.trace as number[])[3] as number) - (trace[3] as number))).toBeGreaterThan(1e-6);
    // cosine with lrFinal = lr and no warm-up is the constant schedule
    const flat = fitSequenceModel(data, tiny('hyena', { epochs: 3, batchSize: 4, lr: 0.02, lrFinal: 0.02, warmup: 0 }));
    const constant = fitSequenceModel(data, tiny('hyena', { epochs: 3, batchSize: 4, lr: 0.02, lrSchedule: 'constant', warmup: 0 }));
    expect(flat.report.trace).toEqual(constant.report.trace);
    expect(() => fitSequenceModel(data, tiny('hyena', { lr: 0.01, lrFinal: 0.02 }))).toThrow(/'lrFinal' \(0.02\) must not exceed 'lr' \(0.01\)/);
    expect(() => fitSequenceModel(data, tiny('hyena', { lrSchedule: 'step' }))).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitSequenceModel(data, tiny('hyena', { warmup: 1.5 }))).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('sequences of several lengths: each batch holds one length; maxLength is the longest', () => {
    const short = tinyData(8, 4);
    const long = tinyData(12, 4, 2);
    const data = [...short.sequences, ...long.sequences];
    const fit = fitSequenceModel(data, tiny('hyena', { batchSize: 4, epochs: 2, lr: 0.02 }));
    expect(fit.architecture.maxLength).toBe(12);
    expect(fit.report.iterations).toBe(4);
    // the first step's loss is the untrained model's mean loss over one whole length group
    const net = new SequenceNet(fit.architecture);
    const groupLoss = (seqs: readonly Int32Array[]) =>
      seqs.reduce((a, s) => a + (noGrad(() => crossEntropyWithLogitsLoss(net.logits(net.embed(s.subarray(0, s.length - 1))), s.subarray(1))).data[0] as number), 0) / seqs.length;
    const first = (fit.report.trace as number[])[0] as number;
    const candidates = [groupLoss(short.sequences), groupLoss(long.sequences)];
    expect(Math.min(...candidates.map((c) => Math.abs(c - first)))).toBeLessThan(1e-12 * first);
    expect(fit.evaluate(data).lastAccuracy).toBeGreaterThanOrEqual(0);
    expect(() => fitSequenceModel([[1, 2, 3], [1]], tiny('hyena'))).toThrow(expect.objectContaining({ code: 'shape' }));
  });

  test('curriculum: maxLength above the data, then init continues from the same weights on longer sequences', () => {
    const short = fitSequenceModel(tinyData(6, 4), tiny('hyena', { maxLength: 12, lr: 0.02 }));
    expect(short.architecture.maxLength).toBe(12);
    // continuing with a learning rate of ~0 keeps the weights: the continued model predicts as the first one
    const long = tinyData(12, 2, 5);
    const same = fitSequenceModel(long, { init: short, epochs: 1, batchSize: 2, lr: 1e-300, seed: 9 });
    expect(same.architecture).toEqual(short.architecture);
    const input = (long.sequences[0] as Int32Array).subarray(0, 12);
    expect(Array.from(noGrad(() => same.logits(input)).data)).toEqual(Array.from(noGrad(() => short.logits(input)).data));
    // a real continuation changes them; conflicting architecture options and too long data are typed errors
    const moved = fitSequenceModel(long, { init: short, epochs: 1, batchSize: 2, lr: 0.02 });
    expect(Array.from(noGrad(() => moved.logits(input)).data)).not.toEqual(Array.from(noGrad(() => short.logits(input)).data));
    expect(() => fitSequenceModel(long, { init: short, width: 16 })).toThrow(/'width' \(16\) differs/);
    expect(() => fitSequenceModel(tinyData(14, 2), { init: short })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitSequenceModel(tinyData(8, 2), { ...tiny('hyena'), maxLength: 6 })).toThrow(/at least the data's input length 8/);
    expect(() => fitSequenceModel(tinyData(8, 2), { init: {} as never })).toThrow(/must be a SequenceModel/);
  });

  test('extending a model to longer inputs: init with a larger maxLength keeps the weights; Hyena filters keep their grid', () => {
    const short = fitSequenceModel(tinyData(8, 4), tiny('hyena', { lr: 0.02 }));
    const long = tinyData(16, 2, 5);
    // a learning rate of ~0: the extended model is the trained one on a longer range
    const ext = fitSequenceModel(long, { init: short, maxLength: 16, epochs: 1, batchSize: 2, lr: 1e-300, seed: 9 });
    expect(ext.architecture).toEqual({ ...short.architecture, maxLength: 16, gridLength: 8 });
    const input = (long.sequences[0] as Int32Array).subarray(0, 16);
    // on inputs the first model could read, the same logits bit for bit
    expect(Array.from(noGrad(() => ext.logits(input.subarray(0, 8))).data)).toEqual(Array.from(noGrad(() => short.logits(input.subarray(0, 8))).data));
    // past the grid: finite, and still causal (∂z_i/∂x_j = 0 for j > i by the autodiff Jacobian)
    const { width: W, vocabulary: V } = ext.architecture;
    const L = 14;
    const J = jacobian((u) => ext.forwardEmbedded(u))(new Tensor(sampleNormalArray(createRng(4), L * W), [L, W]));
    const { future, past } = futureAndPastSensitivity(J, L, V, W);
    expect(future).toBeLessThan(1e-12);
    expect(past).toBeGreaterThan(1e-3);
    // the grid travels in the JSON and into further continuations; a new model may set it directly
    const copy = SequenceModel.fromJSON(JSON.parse(JSON.stringify(ext.toJSON())));
    expect(copy.architecture.gridLength).toBe(8);
    expect(Array.from(noGrad(() => copy.logits(input)).data)).toEqual(Array.from(noGrad(() => ext.logits(input)).data));
    const again = fitSequenceModel(long, { init: ext, maxLength: 20, epochs: 1, batchSize: 2, lr: 1e-300 });
    expect(again.architecture).toMatchObject({ maxLength: 20, gridLength: 8 });
    const direct = fitSequenceModel(tinyData(8, 2), tiny('hyena', { maxLength: 16, gridLength: 8 }));
    expect(direct.architecture).toMatchObject({ maxLength: 16, gridLength: 8 });
    // attention has no filter grid: only maxLength grows
    const att = fitSequenceModel(tinyData(8, 4), tiny('attention', { lr: 0.02 }));
    const attExt = fitSequenceModel(long, { init: att, maxLength: 16, epochs: 1, batchSize: 2, lr: 1e-300 });
    expect(attExt.architecture).toEqual({ ...att.architecture, maxLength: 16 });
    expect(Array.from(noGrad(() => attExt.logits(input.subarray(0, 8))).data)).toEqual(Array.from(noGrad(() => att.logits(input.subarray(0, 8))).data));
    // typed errors: shrinking, a different grid, a grid for attention (options and JSON), data above maxLength
    expect(() => fitSequenceModel(tinyData(6, 2), { init: ext, maxLength: 12 })).toThrow(/'maxLength' \(12\) must be at least the maxLength 16/);
    expect(() => fitSequenceModel(long, { init: short, maxLength: 16, gridLength: 16 })).toThrow(/'gridLength' \(16\) differs/);
    expect(() => fitSequenceModel(tinyData(8, 2), tiny('attention', { gridLength: 8 }))).toThrow(/Hyena mixer only/);
    const attJson = JSON.parse(JSON.stringify(att.toJSON()));
    attJson.net.config.gridLength = 8;
    expect(() => SequenceModel.fromJSON(attJson)).toThrow(/Hyena mixer only/);
    expect(() => fitSequenceModel(long, { init: short })).toThrow(/give a larger 'maxLength'/);
  });

  test('attention heads default to 4 when 4 divides the width, else 1', () => {
    const { heads: _h, ...rest } = tiny('attention');
    expect(fitSequenceModel(tinyData(8, 2), { ...rest, width: 8 }).architecture.heads).toBe(4);
    expect(fitSequenceModel(tinyData(8, 2), { ...rest, width: 6 }).architecture.heads).toBe(1);
  });

  test('predict: argmax of softmax probabilities that sum to 1; evaluate and memoryProfile shapes', () => {
    const data = tinyData(8, 2);
    const m = fitSequenceModel(data, tiny('attention'));
    const input = (data.sequences[0] as Int32Array).subarray(0, 8);
    const { next, probabilities } = m.predict(input);
    expect(next).toHaveLength(8);
    for (let i = 0; i < 8; i++) {
      const row = probabilities.getRow(i);
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
      expect(row.indexOf(Math.max(...row))).toBe(next[i]);
    }
    const e = m.evaluate(data);
    expect(e.lastAccuracy).toBeGreaterThanOrEqual(0);
    expect(m.memoryProfile(input)).toHaveLength(8);
    expect(() => new SequenceModel({} as never, m.report)).toThrow(expect.objectContaining({ code: 'domain' }));
    const { logits, bosExcess } = m.attentionLogits(input);
    expect(logits.get(0, 1)).toBe(Number.NEGATIVE_INFINITY);
    expect(bosExcess[0]).toBe(0);
  });
});

for (const mixer of ['hyena', 'attention'] as const) {
  for (const c of checkEstimator({
    name: `fitSequenceModel (${mixer})`,
    data: () => [tinyData(8, 4)],
    fit: (data: ReturnType<typeof tinyData>, o: SequenceModelOptions) => fitSequenceModel(data, o),
    fitAsync: (data: ReturnType<typeof tinyData>, o: SequenceModelOptions) => fitSequenceModelAsync(data, o),
    options: tiny(mixer, { layers: 1 }),
    slowOptions: { epochs: 100_000 },
    fromJSON: (j: unknown) => SequenceModel.fromJSON(j as SequenceModelJSON),
    tamper: [
      { path: 'kind', value: 'GaussianMixture' },
      { path: 'version', value: 2 },
      { path: 'net.config.width', value: -3 },
      { path: 'net.config.mixer', value: 'lstm' },
      { path: 'net.config.vocabulary', value: null },
      { path: 'net.params', value: [] },
      { path: 'report.reason', value: 'done' },
      { path: 'report.iterations', value: -1 },
      // a training run stops 'completed' or 'aborted', with one loss per optimiser step
      { path: 'report.reason', value: 'converged' },
      { path: 'report.trace', value: [1] },
      { path: 'report.iterations', value: 1000 },
    ],
  })) {
    test(c.name, c.run, 30_000);
  }
}

afterAll(() => {
  // abort latencies of the async twin (time from the timer's abort to the rejection), for the README
  for (const { name, latencyMs } of abortLatencies) console.log(`abort latency ${name}: ${latencyMs.toFixed(1)} ms`);
});
