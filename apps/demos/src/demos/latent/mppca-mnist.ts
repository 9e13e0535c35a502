/**
 * Mixture of probabilistic PCA on MNIST digits (notes: "Mixture PCA"; Tipping & Bishop 1999):
 * 80 images of each digit from the `mnist` package, 2×2-average-pooled to 14×14 = 196 pixels,
 * K = 10 components with q = 4 latent dimensions each, fitted by EM. The plot shows the component means
 * as images and the EM bound per iteration (it never decreases).
 */
import { atLeast, equals } from '../../claims.js';
import { createRequire } from 'node:module';
import { fitMixturePPCA } from '@notes/latent';
import type { Demo } from '../../demo.js';

interface Digit {
  range(start: number, end: number): number[][];
}

function loadDigits(perDigit: number): { X: number[][]; y: number[] } {
  const mnist = createRequire(import.meta.url)('mnist') as Record<number, Digit>;
  const X: number[][] = [];
  const y: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (const img of (mnist[d] as Digit).range(0, perDigit).slice(0, perDigit)) {
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

const demo: Demo = {
  id: 'latent/mppca-mnist',
  title: 'Mixture of PPCA on MNIST digits (K = 10, q = 4)',
  section: 'Mixture PCA',
  order: 410,
  run({ seed, log }) {
    const { X, y } = loadDigits(80);
    const model = fitMixturePPCA(X, {
      components: 10,
      latentDim: 4,
      seed,
      tol: 1e-4,
      maxIterations: 40,
      onProgress: (p) => {
        if (p.iteration % 10 === 0) log(`iteration ${p.iteration}: mean log-likelihood ${p.objective.toFixed(2)}`);
      },
    });
    const labels = model.predict(X);
    // purity: each component votes for its majority digit
    let agree = 0;
    for (let k = 0; k < 10; k++) {
      const counts = new Array(10).fill(0);
      labels.forEach((l, i) => {
        if (l === k) counts[y[i] as number] += 1;
      });
      agree += Math.max(...counts);
    }
    let monotone = true;
    const b = model.report.trace ?? [];
    for (let t = 1; t < b.length; t++) if ((b[t] as number) < (b[t - 1] as number) - 1e-9 * Math.abs(b[t - 1] as number)) monotone = false;
    const means = model.means.to2DArray();
    const pixels = means.flatMap((m, k) => m.map((v, p) => ({ component: `c${k} (π=${(model.weights[k] as number).toFixed(2)})`, row: Math.floor(p / 14), col: p % 14, value: v })));
    const lastChange = b.length >= 2 ? Math.abs((b[b.length - 1] as number) - (b[b.length - 2] as number)) / Math.abs(b[b.length - 1] as number) : Number.NaN;
    const stop = model.report.converged
      ? `EM converged (relative change below tol 1e-4) after ${model.report.iterations} iterations.`
      : `EM stopped at the ${model.report.iterations}-iteration cap of this demo before tol 1e-4 (last relative change of the bound ${lastChange.toExponential(1)}): the bound is still rising slowly, as EM does on 196-dimensional data; more iterations refine σ²_k, not the clusters.`;
    return {
      claims: [
        equals('the EM bound never decreases', monotone, true),
        atLeast('components align with digits: cluster purity against the labels (chance ≈ 0.1)', agree / X.length, 0.5),
      ],
      summary:
        `${stop} ` +
        'First: the ten component means μ_k of a mixture of PPCA fitted by EM to 800 pooled MNIST digits (40 EM iterations) (unsupervised). Then: the EM bound (mean log-likelihood per image) per iteration, which never decreases.',
      metrics: {
        images: X.length,
        dimension: 196,
        'EM iterations': model.report.iterations,
        converged: model.report.converged,
        'final mean log-likelihood': model.lowerBound,
        'bound never decreased': monotone,
        'cluster purity vs digit labels': agree / X.length,
        'median σ²_k': [...model.sigma2].sort((p, q) => p - q)[5] as number,
      },
      plots: [
        {
          title: 'Component means',
          data: { values: pixels },
          facet: { field: 'component', type: 'nominal', columns: 5, title: null },
          spec: {
            width: 84,
            height: 84,
            mark: 'rect',
            encoding: {
              x: { field: 'col', type: 'ordinal', axis: null },
              y: { field: 'row', type: 'ordinal', axis: null },
              color: { field: 'value', type: 'quantitative', scale: { scheme: 'greys' }, legend: null },
            },
          },
        },
        {
          title: 'EM bound per iteration',
          width: 420,
          height: 220,
          data: { values: b.map((v, t) => ({ iteration: t + 1, bound: v })) },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'iteration', type: 'quantitative' },
            y: { field: 'bound', type: 'quantitative', scale: { zero: false }, title: 'mean log-likelihood' },
          },
        },
      ],
    };
  },
};

export default demo;
