/**
 * Shared pieces of the ProtoNCE digits bench: MNIST digits from the `mnist` package (2×2-pooled to
 * 14×14), k-means AMI/NMI of embeddings against the labels, a linear probe, and a PCA baseline.
 */
import { createRequire } from 'node:module';
import {
  createAdamOptimizer,
  createRng,
  crossEntropyWithLogitsLoss,
  Linear,
  noGrad,
  type Rng,
  Tensor,
  variableGrads,
} from '@notes/core-linalg';
import { EVD, Matrix } from 'ml-matrix';
import { kmeansRows } from '../src/contrastive/kmeans.js';
import { adjustedMutualInfo, normalizedMutualInfo } from '../src/index.js';

interface Digit {
  range(start: number, end: number): number[][];
}

/** `perDigit` images of each digit starting at `offset`, pooled to 14×14 (values in [0, 1]). */
export function loadDigits(offset: number, perDigit: number): { X: number[][]; y: number[] } {
  const mnist = createRequire(import.meta.url)('mnist') as Record<number, Digit>;
  const X: number[][] = [];
  const y: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (const img of (mnist[d] as Digit).range(offset, offset + perDigit)) {
      const pooled: number[] = [];
      for (let r = 0; r < 14; r++) {
        for (let c = 0; c < 14; c++) {
          const at = (rr: number, cc: number) => img[rr * 28 + cc] as number;
          pooled.push((at(2 * r, 2 * c) + at(2 * r + 1, 2 * c) + at(2 * r, 2 * c + 1) + at(2 * r + 1, 2 * c + 1)) / 4);
        }
      }
      X.push(pooled);
      y.push(d);
    }
  }
  return { X, y };
}

/** Mean AMI and NMI of k-means (k = 10, k-means++ then Lloyd) over `restarts` seeds. */
export function clusterScores(V: number[][], y: number[], seed: number, restarts = 3): { ami: number; nmi: number } {
  const d = (V[0] as number[]).length;
  const data = Float64Array.from(V.flat());
  let ami = 0;
  let nmi = 0;
  for (let r = 0; r < restarts; r++) {
    const { assign } = kmeansRows(data, V.length, d, 10, createRng(seed * 100 + r), 100);
    ami += adjustedMutualInfo(y, assign) / restarts;
    nmi += normalizedMutualInfo(y, assign) / restarts;
  }
  return { ami, nmi };
}

/** Linear probe: multinomial logistic regression (full-batch Adam, 300 steps) on train features, accuracy on test. */
export function linearProbe(train: number[][], yTrain: number[], test: number[][], yTest: number[], seed: number): number {
  const d = (train[0] as number[]).length;
  // standardise features with the train statistics
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const r of train) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (r[j] as number) / train.length;
  for (const r of train) for (let j = 0; j < d; j++) sd[j] = (sd[j] as number) + ((r[j] as number) - (mean[j] as number)) ** 2 / train.length;
  const f = (X: number[][]) => Tensor.fromArray(X.flatMap((r) => r.map((v, j) => (v - (mean[j] as number)) / Math.sqrt((sd[j] as number) + 1e-12))), [X.length, d]);
  const xt = f(train);
  const layer = new Linear(d, 10, { seed });
  const opt = createAdamOptimizer(layer.parameters(), { lr: 0.05 });
  for (let s = 0; s < 300; s++) {
    const { grads } = variableGrads(() => crossEntropyWithLogitsLoss(layer.forward(xt), yTrain), layer.parameters());
    opt.step(grads);
  }
  const logits = noGrad(() => layer.forward(f(test)));
  let right = 0;
  for (let i = 0; i < test.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if ((logits.data[i * 10 + c] as number) > (logits.data[i * 10 + best] as number)) best = c;
    if (best === yTest[i]) right++;
  }
  return right / test.length;
}

/** PCA projection onto the top `q` principal axes of `train` (covariance eigen-decomposition). */
export function pcaProjector(train: number[][], q: number): (X: number[][]) => number[][] {
  const d = (train[0] as number[]).length;
  const mean = new Array<number>(d).fill(0);
  for (const r of train) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (r[j] as number) / train.length;
  const C = new Matrix(train.map((r) => r.map((v, j) => v - (mean[j] as number))));
  const cov = C.transpose().mmul(C).div(train.length);
  const evd = new EVD(cov, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, q).map(([, i]) => i);
  const W = evd.eigenvectorMatrix;
  return (X) => X.map((r) => order.map((k) => r.reduce((s, v, j) => s + (v - (mean[j] as number)) * W.get(j, k), 0)));
}

/** Mean and standard error. */
export function meanSE(xs: readonly number[]): { mean: number; se: number } {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, xs.length - 1);
  return { mean: m, se: Math.sqrt(v / xs.length) };
}

export type { Rng };
