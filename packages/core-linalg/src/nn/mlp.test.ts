import { describe, expect, test } from 'vitest';
import { ops, Tensor, tapeStats, variableGrads } from '../autodiff/index.js';
import { createRng } from '../random/index.js';
import { bceWithLogitsLoss, mseLoss } from './losses.js';
import { MLP } from './mlp.js';
import { createAdamOptimizer } from './optimizers.js';
import { train } from './train.js';

describe('autodiff (support): MLP training', () => {
  test('an MLP learns XOR (100 % of the truth table)', () => {
    const X = Tensor.fromArray([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
    const y = Tensor.fromArray([0, 1, 1, 0], [4, 1]);
    const net = new MLP([2, 8, 1], { activation: 'tanh', seed: 3 });
    const opt = createAdamOptimizer(net.parameters(), { lr: 0.05 });
    const res = train(() => bceWithLogitsLoss(net.forward(X), y), { optimizer: opt, steps: 500 });
    expect(res.losses[res.losses.length - 1]).toBeLessThan(0.05);
    const out = net.forward(X).data;
    const pred = Array.from(out, (z) => (z > 0 ? 1 : 0));
    expect(pred).toEqual([0, 1, 1, 0]);
  });

  test('an MLP fits a 1-D regression, y = sin(2x), to test MSE < 1e-3', () => {
    const rng = createRng(7);
    const n = 128;
    const xs = Float64Array.from({ length: n }, () => -1.5 + 3 * rng.uniform());
    const X = new Tensor(xs, [n, 1]);
    const Y = new Tensor(xs.map((x) => Math.sin(2 * x)), [n, 1]);
    const net = new MLP([1, 32, 32, 1], { activation: 'tanh', seed: 1 });
    const opt = createAdamOptimizer(net.parameters(), { lr: 0.01 });
    train(() => mseLoss(net.forward(X), Y), { optimizer: opt, steps: 700 });
    const xt = Float64Array.from({ length: 101 }, (_, i) => -1.4 + (2.8 * i) / 100);
    const pred = net.forward(new Tensor(xt.slice(), [101, 1]));
    const mse = mseLoss(pred, new Tensor(xt.map((x) => Math.sin(2 * x)), [101, 1])).item();
    expect(mse).toBeLessThan(1e-3);
  });

  test('1,000 training steps leave no tape or node behind and the loss falls', () => {
    const rng = createRng(2);
    const X = new Tensor(Float64Array.from({ length: 64 }, () => rng.normal()), [32, 2]);
    const Y = ops.sum(ops.square(X), 1, true);
    const net = new MLP([2, 16, 1], { seed: 4 });
    const opt = createAdamOptimizer(net.parameters(), { lr: 0.01 });
    const res = train(() => mseLoss(net.forward(X), Y), { optimizer: opt, steps: 1000 });
    expect(tapeStats()).toEqual({ openTapes: 0, liveNodes: 0 });
    expect(res.losses[999]).toBeLessThan(res.losses[0] / 10);
  });

  test('train reports progress, stops at the target, honours AbortSignal and rejects NaN losses', () => {
    const w = Tensor.fromArray([3], [1], { requiresGrad: true });
    const opt = createAdamOptimizer([w], { lr: 0.1 });
    const seen: number[] = [];
    const res = train(() => ops.sum(ops.square(w)), {
      optimizer: opt,
      steps: 1000,
      targetLoss: 1e-4,
      progressEvery: 10,
      onProgress: (p) => seen.push(p.iteration),
    });
    expect(res.report.converged).toBe(true);
    expect(res.report.reason).toBe('target-reached');
    expect(seen[0]).toBe(10);
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => train(() => ops.sum(w), { optimizer: opt, steps: 5, signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    const before = w.data[0];
    expect(() => train(() => ops.sum(ops.log(ops.neg(ops.abs(w)))), { optimizer: opt, steps: 3 })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(w.data[0]).toBe(before);
  });

  test('mismatched input names both shapes', () => {
    const net = new MLP([3, 4, 1]);
    expect(() => net.forward(Tensor.zeros([2, 5]))).toThrow(/\[2,5\].*\[3,4\]/);
    expect(() => variableGrads(() => mseLoss(Tensor.zeros([2, 1]), Tensor.zeros([2])), [])).toThrow(/\[2,1\] and target \[2\]/);
  });
});
