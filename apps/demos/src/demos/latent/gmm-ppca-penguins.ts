/**
 * Gaussian mixture and probabilistic PCA on the Palmer penguins (vega-datasets) — notes: "Categorical
 * latent variables", "Mixture PCA". Four standardised measurements; BIC of full-covariance mixtures over
 * K = 1..7 picks the number of clusters; PPCA (closed form) gives the 2-D projection E[z | x] that the
 * scatter shows, coloured by the chosen mixture's clusters; PPCA by EM with 10 % of the entries removed
 * is compared with the complete-data fit.
 */
import { atLeast, atMost, near } from '../../claims.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRng } from '@notes/core-linalg';
import { fitGaussianMixture, fitPCA, fitPPCA } from '@notes/latent';
import type { Demo } from '../../demo.js';

interface Penguin {
  Species: string;
  'Beak Length (mm)': number | null;
  'Beak Depth (mm)': number | null;
  'Flipper Length (mm)': number | null;
  'Body Mass (g)': number | null;
}
const FEATURES = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;

function loadPenguins(): { X: number[][]; species: string[] } {
  // the package exports only its JS entry (build/index.js); the JSON files sit in data/ beside build/
  const entry = createRequire(import.meta.url).resolve('vega-datasets');
  const path = join(dirname(entry), '..', 'data', 'penguins.json');
  const rows = (JSON.parse(readFileSync(path, 'utf8')) as Penguin[]).filter((r) => FEATURES.every((f) => typeof r[f] === 'number'));
  const raw = rows.map((r) => FEATURES.map((f) => r[f] as number));
  const mean = FEATURES.map((_, j) => raw.reduce((s, r) => s + (r[j] as number), 0) / raw.length);
  const sd = FEATURES.map((_, j) => Math.sqrt(raw.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / raw.length));
  return { X: raw.map((r) => r.map((v, j) => (v - (mean[j] as number)) / (sd[j] as number))), species: rows.map((r) => r.Species) };
}

/** Adjusted Rand index between two labelings (Hubert & Arabie 1985). */
export function adjustedRand(a: ArrayLike<string | number>, b: ArrayLike<string | number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = String(a[i]);
    const y = String(b[i]);
    table.set(`${x}|${y}`, (table.get(`${x}|${y}`) ?? 0) + 1);
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
  }
  const c2 = (m: number) => (m * (m - 1)) / 2;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((s, v) => s + c2(v), 0);
  const idx = sum(table);
  const expected = (sum(ca) * sum(cb)) / c2(n);
  const max = (sum(ca) + sum(cb)) / 2;
  return (idx - expected) / (max - expected);
}

const demo: Demo = {
  id: 'latent/gmm-ppca-penguins',
  title: 'Gaussian mixture (BIC over K) and PPCA projection of the Palmer penguins',
  section: 'Categorical latent variables · Mixture PCA',
  order: 400,
  run({ seed, log }) {
    const { X, species } = loadPenguins();
    const bicRows: { K: number; covariance: string; bic: number }[] = [];
    for (const covariance of ['full', 'diag'] as const) {
      for (let K = 1; K <= 7; K++) {
        const gm = fitGaussianMixture(X, { components: K, covariance, restarts: 4, seed, tol: 1e-6, maxIterations: 500 });
        bicRows.push({ K, covariance, bic: gm.bic(X) });
      }
      log(`BIC over K for ${covariance} done`);
    }
    const fullRows = bicRows.filter((r) => r.covariance === 'full');
    const bestK = fullRows.reduce((a, b) => (b.bic < a.bic ? b : a)).K;
    const gm = fitGaussianMixture(X, { components: bestK, covariance: 'full', restarts: 4, seed, tol: 1e-6, maxIterations: 500 });
    const labels = gm.predict(X);
    const gm3 = fitGaussianMixture(X, { components: 3, covariance: 'full', restarts: 4, seed, tol: 1e-6, maxIterations: 500 });
    const ppca = fitPPCA(X, { components: 2 });
    const Z = ppca.posteriorMean(X);
    const pca = fitPCA(X, { components: 2 });
    // PPCA by EM with 10 % of entries missing
    const rng = createRng(seed);
    const Xm = X.map((r) => r.map((v) => (rng.uniform() < 0.1 ? Number.NaN : v)));
    const em = fitPPCA(Xm, { components: 2, method: 'em', missing: 'nan', tol: 1e-10, maxIterations: 5000, seed });
    const C = ppca.covariance().to2DArray();
    const Cm = em.covariance().to2DArray();
    const relErr =
      Math.sqrt(C.flatMap((r, i) => r.map((v, j) => (v - ((Cm[i] as number[])[j] as number)) ** 2)).reduce((s, v) => s + v, 0)) /
      Math.sqrt(C.flat().reduce((s, v) => s + v * v, 0));
    const scatter = X.map((_, i) => ({ z1: Z.get(i, 0), z2: Z.get(i, 1), cluster: `cluster ${labels[i]}`, species: species[i] }));
    const pca4 = fitPCA(X, { components: 4 });
    const ev = Array.from(pca4.explainedVariance);
    const discardedMean = ((ev[2] as number) + (ev[3] as number)) / 2;
    return {
      claims: [
        near('PPCA maximum likelihood (Tipping–Bishop): σ² = mean of the discarded eigenvalues of the 1/n covariance (PCA reports 1/(n−1) ones; ratio)', ppca.sigma2 / ((discardedMean * (X.length - 1)) / X.length), 1, 1e-6),
        atMost('PPCA by EM with 10 % of the entries missing recovers the covariance CCᵀ + σ²I (relative Frobenius error)', relErr, 0.1),
        atLeast('the 3-component mixture finds the 3 species (adjusted Rand index)', adjustedRand(gm3.predict(X), species), 0.6),
      ],
      summary:
        'First plot: BIC (lower is better) of Gaussian mixtures with full and diagonal covariances over the number of components, on the four standardised penguin measurements. Second plot: the PPCA posterior means E[z | x] (2-D latent space), colour = cluster of the BIC-chosen mixture, shape = species.',
      metrics: {
        samples: X.length,
        'BIC-chosen K (full)': bestK,
        'ARI(chosen mixture, species)': adjustedRand(labels, species),
        'ARI(3-component mixture, species)': adjustedRand(gm3.predict(X), species),
        'mixture converged': gm.report.converged,
        'mixture EM iterations': gm.report.iterations,
        'PPCA σ²': ppca.sigma2,
        'PCA explained variance ratio (2 comps)': pca.explainedVarianceRatio.reduce((s, v) => s + v, 0),
        'PPCA-EM with 10 % missing: rel. error of C': relErr,
        'PPCA-EM with 10 % missing: iterations': em.report.iterations,
      },
      plots: [
        {
          title: 'BIC over the number of components',
          width: 320,
          height: 260,
          data: { values: bicRows },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'K', type: 'ordinal', title: 'components K' },
            y: { field: 'bic', type: 'quantitative', scale: { zero: false }, title: 'BIC' },
            color: { field: 'covariance', type: 'nominal' },
          },
        },
        {
          title: 'PPCA latent means, coloured by mixture cluster',
          width: 360,
          height: 300,
          data: { values: scatter },
          mark: { type: 'point', filled: true, opacity: 0.7 },
          encoding: {
            x: { field: 'z1', type: 'quantitative', title: 'E[z₁ | x]' },
            y: { field: 'z2', type: 'quantitative', title: 'E[z₂ | x]' },
            color: { field: 'cluster', type: 'nominal' },
            shape: { field: 'species', type: 'nominal' },
          },
        },
      ],
      tables: [{ title: 'BIC by K', rows: bicRows }],
    };
  },
};

export default demo;
