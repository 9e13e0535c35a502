/**
 * DPMM with Gibbs sampling (notes: DPMM with Gibbs sampling): the collapsed sampler recovers four
 * separated clusters without being told their number; the notes' two effects — larger α gives more
 * clusters, a larger base-measure variance gives fewer — are measured in a table.
 */
import { atLeast, equals } from '../../claims.js';
import { adjustedRandIndex, type DPMMBase, fitDPMM } from '@notes/bayes';
import { createRng, sampleNormal } from '@notes/core-linalg';
import type { Demo } from '../../demo.js';

function blobs(n: number, centers: number[][], sd: number, seed: number) {
  const rng = createRng(seed);
  const X: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % centers.length;
    X.push(centers[k]!.map((m) => sampleNormal(rng, m, sd)));
    labels.push(k);
  }
  return { X, labels };
}

const demo: Demo = {
  id: 'bayes/dpmm-clusters',
  title: 'DPMM: Gibbs clustering of 4 blobs, α and base-variance effects',
  section: 'Dirichlet process mixture model · DPMM with Gibbs sampling',
  order: 230,
  run({ seed, log }) {
    const { X, labels } = blobs(400, [[-4, -4], [-4, 4], [4, -4], [4, 4]], 0.7, seed);
    const base: DPMMBase = { type: 'normal-wishart', mean: [0, 0], kappa: 0.05, df: 4, scale: [[0.5, 0], [0, 0.5]] };
    const collapsed = fitDPMM(X, { alpha: 1, base, iterations: 100, burnIn: 30, seed });
    const twoStep = fitDPMM(X, { alpha: 1, base, sampler: 'two-step', iterations: 100, burnIn: 30, seed });
    const map = collapsed.mapAssignments; // a copy per access: take it once
    const points = X.map(([x, y], i) => ({ x, y, cluster: `c${map[i]}` }));
    const trace = [
      ...collapsed.numClustersTrace.map((k, it) => ({ sweep: it + 1, clusters: k, sampler: 'collapsed' })),
      ...twoStep.numClustersTrace.map((k, it) => ({ sweep: it + 1, clusters: k, sampler: "two-step (notes')" })),
    ];
    // the notes' two effects on harder data (three overlapping blobs, known kernel covariance)
    const hard = blobs(90, [[0, 0], [1.5, 0], [3, 0]], 0.6, seed + 1);
    const effects: Record<string, number | string>[] = [];
    for (const alpha of [0.1, 1, 10]) {
      for (const v of [1, 10, 1000]) {
        const b: DPMMBase = { type: 'normal', mean: [1.5, 0], covariance: [[v, 0], [0, v]], noiseCovariance: [[0.36, 0], [0, 0.36]] };
        const m = fitDPMM(hard.X, { alpha, base: b, iterations: 300, burnIn: 100, seed });
        const kept = m.numClustersTrace.slice(100);
        effects.push({ alpha, 'base variance': v, 'mean #clusters': kept.reduce((a, c) => a + c, 0) / kept.length });
      }
    }
    log('effects table done');
    const meanK = (alpha: number, v: number): number => effects.find((e) => e.alpha === alpha && e['base variance'] === v)?.['mean #clusters'] as number;
    return {
      claims: [
        atLeast('collapsed Gibbs recovers the 4 blobs: adjusted Rand index of the MAP partition', adjustedRandIndex(collapsed.mapAssignments, labels), 0.95),
        atLeast("the notes' two-step sampler recovers them too (ARI)", adjustedRandIndex(twoStep.mapAssignments, labels), 0.95),
        equals('larger α gives more clusters (mean #clusters at base variance 10: α = 0.1 < 1 < 10)', meanK(0.1, 10) < meanK(1, 10) && meanK(1, 10) < meanK(10, 10), true),
        equals('larger base variance gives fewer clusters (α = 1: v = 1 > 10 > 1000)', meanK(1, 1) > meanK(1, 10) && meanK(1, 10) > meanK(1, 1000), true),
      ],
      summary:
        'Scatter: MAP partition (highest log p(Y, S) among kept samples) of the collapsed Gibbs sampler with a Normal–Wishart base measure. Trace: number of clusters per sweep for the collapsed sampler and the notes’ two-step sampler (assignments given θ*, then θ* given assignments). Table: on three overlapping blobs, larger α gives more clusters; a larger base-measure variance makes the new-cluster term α∫K(y|θ)dP₀ smaller and gives fewer clusters, as the notes say.',
      metrics: {
        'ARI collapsed (MAP partition)': adjustedRandIndex(collapsed.mapAssignments, labels),
        'ARI two-step (MAP partition)': adjustedRandIndex(twoStep.mapAssignments, labels),
        'clusters in MAP partition': collapsed.numClusters,
        'collapsed: trace stationary (3-SE check)': collapsed.stationary,
      },
      plots: [
        {
          title: 'MAP partition of the collapsed sampler',
          data: { values: points },
          mark: { type: 'point', filled: true, size: 20 },
          encoding: {
            x: { field: 'x', type: 'quantitative' },
            y: { field: 'y', type: 'quantitative' },
            color: { field: 'cluster', type: 'nominal' },
          },
        },
        {
          title: 'Number of clusters per Gibbs sweep',
          data: { values: trace },
          mark: 'line',
          encoding: {
            x: { field: 'sweep', type: 'quantitative' },
            y: { field: 'clusters', type: 'quantitative' },
            color: { field: 'sampler', type: 'nominal' },
          },
        },
      ],
      tables: [{ title: 'Mean number of clusters vs α and base-measure variance (3 overlapping blobs, n = 90)', rows: effects }],
    };
  },
};

export default demo;
