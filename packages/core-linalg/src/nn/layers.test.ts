import { describe, expect, test } from 'vitest';
import { gradcheck, ops, Tensor, variableGrads } from '../autodiff/index.js';
import { createRng } from '../random/index.js';
import { Conv1d, Conv2d, DepthwiseSeparableConv2d } from './conv.js';
import { convMultiplyCount, convParameterCount } from './conv-count.js';
import { Embedding } from './embedding.js';
import { GRUCell } from './gru.js';
import { LayerNorm } from './layernorm.js';
import { Linear } from './linear.js';
import { accuracy, bceWithLogitsLoss, crossEntropyWithLogitsLoss, gaussianNllLoss, mseLoss } from './losses.js';
import { MLP } from './mlp.js';
import type { Module, ModuleJSON } from './module.js';
import { clipGradNorm, createAdamOptimizer, createSgdOptimizer } from './optimizers.js';

const TOL = 1e-6;
const rng = createRng(51);
function randn(shape: number[]): Tensor {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.normal();
  return t;
}

describe('autodiff (support): nn layers', () => {
  const layers: [string, () => Module & { forward(x: Tensor): Tensor }, number[], (j: ModuleJSON) => Module & { forward(x: Tensor): Tensor }][] = [
    ['Linear', () => new Linear(4, 3, { seed: 1 }), [5, 4], Linear.fromJSON],
    ['MLP', () => new MLP([4, 6, 2], { activation: 'tanh', seed: 2 }), [3, 4], MLP.fromJSON],
    ['Conv2d', () => new Conv2d(2, 3, 3, { padding: 1, seed: 3 }), [2, 2, 5, 5], Conv2d.fromJSON],
    ['Conv1d', () => new Conv1d(2, 3, 3, { stride: 2, seed: 4 }), [2, 2, 9], Conv1d.fromJSON],
    ['DepthwiseSeparableConv2d', () => new DepthwiseSeparableConv2d(3, 4, 3, { padding: 1, seed: 5 }), [1, 3, 5, 5], DepthwiseSeparableConv2d.fromJSON],
    ['LayerNorm', () => new LayerNorm(5), [3, 5], LayerNorm.fromJSON],
  ];
  test.each(layers)('%s: input gradcheck, parameter gradients and exact JSON round-trip', (_n, make, xShape, fromJSON) => {
    const m = make();
    // perturb parameters so LayerNorm's γ, β and biases are not trivial
    for (const p of m.parameters()) for (let i = 0; i < p.size; i++) p.data[i] += 0.1 * rng.normal();
    const x = randn(xShape);
    expect(gradcheck((xi) => m.forward(xi), [x]).maxRelError).toBeLessThan(TOL);
    // parameter gradients against central differences of the scalar loss
    const loss = () => ops.sum(ops.square(m.forward(x)));
    const { grads } = variableGrads(loss, m.parameters());
    m.parameters().forEach((p, k) => {
      for (const i of [0, p.size - 1]) {
        const x0 = p.data[i];
        p.data[i] = x0 + 1e-6;
        const fp = loss().item();
        p.data[i] = x0 - 1e-6;
        const fm = loss().item();
        p.data[i] = x0;
        const num = (fp - fm) / 2e-6;
        expect(Math.abs(num - grads[k].data[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(num)));
      }
    });
    const json = JSON.parse(JSON.stringify(m.toJSON())) as ModuleJSON;
    const back = fromJSON(json);
    expect(Array.from(back.forward(x).data)).toEqual(Array.from(m.forward(x).data));
    expect(back.toJSON()).toEqual(m.toJSON());
  });

  test('fromJSON rejects non-finite or missing weight values instead of loading them as 0 or NaN', () => {
    const json = JSON.parse(JSON.stringify(new Linear(2, 1, { seed: 1 }).toJSON())) as ModuleJSON;
    json.params.weight.data[0] = null as unknown as number; // what JSON.stringify makes of NaN
    expect(() => Linear.fromJSON(json)).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringContaining('weight') }));
  });

  test('GRUCell matches its equations, passes gradcheck, round-trips', () => {
    const cell = new GRUCell(3, 2, { seed: 6 });
    for (const p of cell.parameters()) for (let i = 0; i < p.size; i++) p.data[i] += 0.1 * rng.normal();
    const x = randn([2, 3]);
    const h = randn([2, 2]);
    const y = cell.forward(x, h);
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const H = 2;
    for (let b = 0; b < 2; b++) {
      for (let j = 0; j < H; j++) {
        const gate = (g: number) => {
          let si = cell.biasIh.data[g * H + j];
          let sh = cell.biasHh.data[g * H + j];
          for (let i = 0; i < 3; i++) si += x.get(b, i) * cell.weightIh.get(i, g * H + j);
          for (let i = 0; i < H; i++) sh += h.get(b, i) * cell.weightHh.get(i, g * H + j);
          return [si, sh];
        };
        const [ri, rh] = gate(0);
        const [zi, zh] = gate(1);
        const [ni, nh] = gate(2);
        const r = sig(ri + rh);
        const z = sig(zi + zh);
        const n = Math.tanh(ni + r * nh);
        expect(y.get(b, j)).toBeCloseTo((1 - z) * n + z * h.get(b, j), 14);
      }
    }
    expect(gradcheck((xi, hi) => cell.forward(xi, hi), [x, h]).maxRelError).toBeLessThan(TOL);
    const back = GRUCell.fromJSON(JSON.parse(JSON.stringify(cell.toJSON())));
    expect(Array.from(back.forward(x, h).data)).toEqual(Array.from(y.data));
    expect(() => cell.forward(randn([2, 4]), h)).toThrow(/\[2,4\].*\[2,2\]/);
  });

  test.each([[[4]], [[2, 3, 4]], [[2, 1, 3, 4]]])('Linear on an input of shape %j equals x·W + b row by row; gradcheck', (shape) => {
    const lin = new Linear(4, 3, { seed: 8 });
    for (let i = 0; i < 3; i++) lin.bias?.data.set([0.1 * (i + 1)], i);
    const x = randn(shape);
    const y = lin.forward(x);
    expect(y.shape).toEqual([...shape.slice(0, -1), 3]);
    for (let r = 0; r < x.size / 4; r++) {
      for (let j = 0; j < 3; j++) {
        let s = lin.bias?.data[j] ?? 0;
        for (let k = 0; k < 4; k++) s += x.data[r * 4 + k] * lin.weight.data[k * 3 + j];
        expect(Math.abs(y.data[r * 3 + j] - s)).toBeLessThan(1e-14);
      }
    }
    expect(gradcheck((xi) => lin.forward(xi), [x]).maxRelError).toBeLessThan(TOL);
  });

  test('Embedding rejects a bad id naming the layer and the argument', () => {
    const e = new Embedding(5, 3, { seed: 7 });
    for (const ids of [[5], [-1], [1.5], [Number.NaN]]) {
      expect(() => e.forward(ids)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining("Embedding.forward: argument 'ids'") }));
    }
  });

  test('Embedding gathers rows and scatter-adds gradients', () => {
    const e = new Embedding(5, 3, { seed: 7 });
    const out = e.forward([4, 0, 4]);
    expect(Array.from(out.data.subarray(0, 3))).toEqual(Array.from(e.weight.data.subarray(12, 15)));
    const { grads } = variableGrads(() => ops.sum(e.forward([4, 0, 4])), [e.weight]);
    expect(Array.from(grads[0].data)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2]);
    expect(Array.from(Embedding.fromJSON(e.toJSON()).weight.data)).toEqual(Array.from(e.weight.data));
  });

  test('seeded initialisation is reproducible and has the documented scale', () => {
    expect(new Linear(50, 40, { seed: 9 }).weight.data).toEqual(new Linear(50, 40, { seed: 9 }).weight.data);
    const w = new Linear(400, 300, { seed: 1, init: 'he' }).weight.data;
    let s2 = 0;
    for (const v of w) s2 += v * v;
    // He: variance 2/400; relative sd of the sample variance ≈ sqrt(2/120000) ≈ 0.004
    expect(Math.abs(s2 / w.length / (2 / 400) - 1)).toBeLessThan(0.03);
    const g = new Linear(400, 300, { seed: 1 }).weight.data;
    const a = Math.sqrt(6 / 700);
    expect(Math.max(...g)).toBeLessThanOrEqual(a);
    expect(Math.min(...g)).toBeGreaterThanOrEqual(-a);
  });
});

describe('autodiff (support): losses and optimisers', () => {
  test('losses equal their closed forms and pass gradcheck', () => {
    const z = Tensor.fromArray([2, -1, 0.5]);
    const y = Tensor.fromArray([1, 0, 1]);
    const bce = [1, 0, 1].reduce((s, t, i) => {
      const p = 1 / (1 + Math.exp(-z.data[i]));
      return s - (t * Math.log(p) + (1 - t) * Math.log(1 - p));
    }, 0) / 3;
    expect(bceWithLogitsLoss(z, y).item()).toBeCloseTo(bce, 14);
    expect(bceWithLogitsLoss(Tensor.fromArray([-800]), Tensor.fromArray([0])).item()).toBe(0);
    const logits = Tensor.fromArray([1, 2, 3, 0, 0, 0], [2, 3]);
    const ce = -(3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) + (0 - Math.log(3))) / 2;
    expect(crossEntropyWithLogitsLoss(logits, [2, 1]).item()).toBeCloseTo(ce, 14);
    expect(accuracy(logits, [2, 0])).toBe(1);
    const mu = Tensor.fromArray([0.5, -1]);
    const lv = Tensor.fromArray([0.2, -0.3]);
    const t = Tensor.fromArray([1, 0]);
    const nll = [0, 1].reduce((s, i) => s + 0.5 * (Math.log(2 * Math.PI) + lv.data[i] + (t.data[i] - mu.data[i]) ** 2 / Math.exp(lv.data[i])), 0) / 2;
    expect(gaussianNllLoss(mu, lv, t).item()).toBeCloseTo(nll, 14);
    expect(gradcheck((a, b) => gaussianNllLoss(a, b, t), [mu, lv]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((a) => crossEntropyWithLogitsLoss(a, [2, 1]), [logits]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((a) => bceWithLogitsLoss(a, y), [z]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((a) => mseLoss(a, y), [z]).maxRelError).toBeLessThan(TOL);
  });

  test('SGD with momentum follows v ← μv + g, θ ← θ − ηv; clipping bounds the norm', () => {
    const w = Tensor.fromArray([1, 2]);
    const opt = createSgdOptimizer([w], { lr: 0.1, momentum: 0.9 });
    opt.step([Tensor.fromArray([1, -1])]);
    opt.step([Tensor.fromArray([1, -1])]);
    // v1 = g, v2 = 1.9 g; θ = θ0 − 0.1·2.9 g
    expect(w.data[0]).toBeCloseTo(1 - 0.29, 15);
    expect(w.data[1]).toBeCloseTo(2 + 0.29, 15);
    const g = [Tensor.fromArray([3, 4])];
    expect(clipGradNorm(g, 1)).toBe(5);
    expect(g[0].data[0]).toBeCloseTo(0.6, 15);
    expect(g[0].data[1]).toBeCloseTo(0.8, 15);
    const bad = new Tensor(Float64Array.of(Number.NaN, 0), [2]);
    expect(() => opt.step([bad])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(w.data[0]).toBeCloseTo(1 - 0.29, 15);
  });

  test('clipNorm is validated when the optimiser is built (NaN used to switch clipping off silently)', () => {
    const w = Tensor.fromArray([1, 2]);
    for (const make of [createSgdOptimizer, createAdamOptimizer]) {
      expect(() => make([w], { clipNorm: Number.NaN })).toThrow(expect.objectContaining({ code: 'non-finite' }));
      expect(() => make([w], { clipNorm: 0 })).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining('clipNorm') }));
      expect(() => make([w], { clipNorm: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
      expect(() => make([w], { clipNorm: Number.POSITIVE_INFINITY })).not.toThrow();
    }
  });

  test('a scheduled lr that is NaN or ≤ 0 is rejected at the step, parameters unchanged (NaN used to reach the weights)', () => {
    for (const make of [createSgdOptimizer, createAdamOptimizer]) {
      const w = Tensor.fromArray([1, 2]);
      const opt = make([w], { lr: 0.1 });
      opt.lr = Number.NaN;
      expect(() => opt.step([Tensor.fromArray([1, 1])])).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringContaining("'lr'") }));
      opt.lr = -0.1;
      expect(() => opt.step([Tensor.fromArray([1, 1])])).toThrow(expect.objectContaining({ code: 'domain' }));
      expect(Array.from(w.data)).toEqual([1, 2]);
      expect(opt.iterations).toBe(0);
    }
  });

  test('explicit undefined optimiser options keep the defaults (same steps as omitting them)', () => {
    const run = (make: typeof createSgdOptimizer, options: Record<string, number | undefined>): number[] => {
      const w = Tensor.fromArray([1, -2]);
      const opt = make([w], options);
      opt.step([Tensor.fromArray([0.3, -0.7])]);
      opt.step([Tensor.fromArray([0.1, 0.2])]);
      return Array.from(w.data);
    };
    const unset = { momentum: undefined, beta1: undefined, beta2: undefined, eps: undefined, weightDecay: undefined, clipNorm: undefined };
    for (const make of [createSgdOptimizer, createAdamOptimizer]) {
      expect(run(make, { lr: 0.1, ...unset })).toEqual(run(make, { lr: 0.1 }));
      expect(run(make, { lr: undefined })).toEqual(run(make, {}));
    }
  });

  test('bad labels are domain errors naming the loss and the argument', () => {
    const logits = Tensor.zeros([2, 3]);
    for (const labels of [[0, 3], [0, 1.5], [-1, 0], [0, Number.NaN]]) {
      expect(() => crossEntropyWithLogitsLoss(logits, labels)).toThrow(
        expect.objectContaining({ code: 'domain', message: expect.stringContaining("crossEntropyWithLogitsLoss: argument 'labels'") }),
      );
      expect(() => accuracy(logits, labels)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining("accuracy: argument 'labels'") }));
    }
  });

  test('Adam minimises an ill-conditioned quadratic; first step is −lr·sign(g)', () => {
    const w = Tensor.fromArray([1, 1]);
    const opt = createAdamOptimizer([w], { lr: 0.01 });
    opt.step([Tensor.fromArray([100, -0.001])]);
    expect(w.data[0]).toBeCloseTo(0.99, 6);
    expect(w.data[1]).toBeCloseTo(1.01, 3);
    const p = Tensor.fromArray([3, -2]);
    const adam = createAdamOptimizer([p], { lr: 0.05 });
    for (let i = 0; i < 2000; i++) {
      const { grads } = variableGrads(() => ops.sum(ops.mul(ops.square(p), Tensor.fromArray([100, 1]))), [p]);
      adam.step(grads);
    }
    expect(Math.abs(p.data[0])).toBeLessThan(1e-3);
    expect(Math.abs(p.data[1])).toBeLessThan(1e-3);
  });
});

describe('CNN / Depthwise Separable Convolution: parameter and multiply counts', () => {
  test('D_K·D_K·M·N vs D_K·D_K·M + M·N, ratio 1/N + 1/D_K²', () => {
    const c = convParameterCount(3, 32, 64);
    expect(c.standard).toBe(3 * 3 * 32 * 64);
    expect(c.depthwiseSeparable).toBe(3 * 3 * 32 + 32 * 64);
    expect(c.ratio).toBeCloseTo(1 / 64 + 1 / 9, 15);
    const m = convMultiplyCount(3, 32, 64, 14);
    expect(m.standard).toBe(3 * 3 * 32 * 64 * 14 * 14);
    expect(m.depthwiseSeparable).toBe((3 * 3 * 32 + 32 * 64) * 14 * 14);
    // the layers hold exactly these counts (plus biases)
    const block = new DepthwiseSeparableConv2d(32, 64, 3, { bias: false });
    expect(block.parameterCount()).toBe(c.depthwiseSeparable);
    expect(new Conv2d(32, 64, 3, { bias: false }).parameterCount()).toBe(c.standard);
    expect(() => convParameterCount(0, 1, 1)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
