import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { ops, Tensor, tapeStats } from '../autodiff/index.js';
import { createRng, permutation } from '../random/index.js';
import { Conv2d, DepthwiseSeparableConv2d } from './conv.js';
import { Linear } from './linear.js';
import { accuracy, crossEntropyWithLogitsLoss } from './losses.js';
import { createAdamOptimizer } from './optimizers.js';
import { train } from './train.js';

interface Digit {
  range(start: number, end: number): number[][];
}
const mnist = createRequire(import.meta.url)('mnist') as Record<number, Digit>;

/** `perDigit` images of each digit starting at `offset` (deterministic, no shuffling by the package). */
function load(offset: number, perDigit: number): { x: Float64Array; y: Int32Array; n: number } {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (const img of mnist[d].range(offset, offset + perDigit)) {
      xs.push(img);
      ys.push(d);
    }
  }
  const n = xs.length;
  const x = new Float64Array(n * 784);
  xs.forEach((img, i) => {
    x.set(img, i * 784);
  });
  return { x, y: Int32Array.from(ys), n };
}

describe('CNN / Depthwise Separable Convolution: a small CNN on MNIST digits', () => {
  test('conv → pool → depthwise-separable → pool → linear learns a tiny subset (held-out accuracy ≥ 80 %)', () => {
    const rng = createRng(2024);
    const train_ = load(0, 40);
    const test_ = load(600, 20);
    const conv = new Conv2d(1, 6, 3, { padding: 1, rng });
    const sep = new DepthwiseSeparableConv2d(6, 12, 3, { padding: 1, rng });
    const head = new Linear(12 * 7 * 7, 10, { rng });
    const forward = (x: Tensor): Tensor => {
      let h = ops.maxPool2d(ops.relu(conv.forward(x)), 2);
      h = ops.maxPool2d(ops.relu(sep.forward(h)), 2);
      return head.forward(ops.reshape(h, [x.shape[0], -1]));
    };
    const params = [...conv.parameters(), ...sep.parameters(), ...head.parameters()];
    const opt = createAdamOptimizer(params, { lr: 3e-3 });
    const B = 32;
    const perEpoch = Math.floor(train_.n / B);
    let order = permutation(rng, train_.n);
    const batch = (t: number) => {
      if (t % perEpoch === 0) order = permutation(rng, train_.n);
      const idx = order.subarray((t % perEpoch) * B, (t % perEpoch + 1) * B);
      const x = new Float64Array(B * 784);
      const y = new Int32Array(B);
      idx.forEach((k, i) => {
        x.set(train_.x.subarray(k * 784, (k + 1) * 784), i * 784);
        y[i] = train_.y[k];
      });
      return { x: new Tensor(x, [B, 1, 28, 28]), y };
    };
    const res = train((t) => {
      const { x, y } = batch(t);
      return crossEntropyWithLogitsLoss(forward(x), y);
    }, { optimizer: opt, steps: perEpoch * 6 });
    expect(tapeStats().liveNodes).toBe(0);
    const first = res.losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = res.losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first / 3);
    const acc = accuracy(forward(new Tensor(test_.x, [test_.n, 1, 28, 28])), test_.y);
    expect(acc).toBeGreaterThanOrEqual(0.8);
  });
});
