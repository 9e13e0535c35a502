/**
 * fitDPMM collapsed Gibbs: time of one sweep over 10,000 2-D points (goal < 50 ms), against a naive
 * sweep that rebuilds each cluster's Normal–Wishart posterior predictive through the public conjugate
 * model for every evaluation (measured on 1,000 points and scaled ×10).
 */
import { createRng } from '@notes/core-linalg';
import { report, time } from '@notes/bench-kit';
import { normalWishart } from '../src/conjugate/normal-wishart.js';
import { createFamily, type DPMMBase } from '../src/dpmm/families.js';
import { collapsedSweep, initState, twoStepSweep, sampleAllTheta } from '../src/dpmm/gibbs.js';
import { FOUR_CENTERS, gaussianClusters } from '../src/dpmm/testdata.js';

const base: DPMMBase = { type: 'normal-wishart', mean: [0, 0], kappa: 0.05, df: 4, scale: [[0.5, 0], [0, 0.5]] };
const known: DPMMBase = { type: 'normal', mean: [0, 0], covariance: [[25, 0], [0, 25]], noiseCovariance: [[0.25, 0], [0, 0.25]] };
const { X } = gaussianClusters(10_000, FOUR_CENTERS, 0.5, 1);
const data = Float64Array.from(X.flat());

function warmState(b: DPMMBase, twoStep = false) {
  const rng = createRng(2);
  const st = initState(createFamily(b, 2), data, 10_000, 1, 1, rng);
  if (twoStep) sampleAllTheta(st, rng);
  for (let i = 0; i < 5; i++) (twoStep ? twoStepSweep : collapsedSweep)(st, rng);
  return { st, rng };
}

const nw = warmState(base);
const nwSec = time(() => collapsedSweep(nw.st, nw.rng), { minMs: 2000 });
const kn = warmState(known);
const knSec = time(() => collapsedSweep(kn.st, kn.rng), { minMs: 2000 });
const ts = warmState(base, true);
const tsSec = time(() => twoStepSweep(ts.st, ts.rng), { minMs: 2000 });

// naive baseline: for each of 1,000 points, rebuild every cluster's posterior predictive with the public API
const prior = normalWishart({ mean: [0, 0], kappa: 0.05, df: 4, scale: [[0.5, 0], [0, 0.5]] });
const rows = X.slice(0, 1000);
const z = rows.map((_, i) => i % 4);
const naive = time(
  () => {
    let s = 0;
    for (let i = 0; i < rows.length; i++) {
      for (let k = 0; k < 4; k++) {
        const members = rows.filter((_, j) => j !== i && z[j] === k);
        s += prior.update(members).predictive().logPdf(Float64Array.from(rows[i]!));
      }
      s += prior.predictive().logPdf(Float64Array.from(rows[i]!));
    }
    return s;
  },
  { minMs: 1000, minRuns: 1 },
) * 10 * 10; // 10× points, and each cluster has 10× members at n = 10,000

report('fitDPMM Gibbs sweep, 10,000 2-D points, 4 clusters', [
  { name: `collapsed, Normal–Wishart base (K = ${nw.st.active.length})`, seconds: nwSec, baseline: naive, baselineName: 'naive public-API sweep (extrapolated from n = 1,000)', note: nwSec < 0.05 ? 'goal < 50 ms met' : 'goal < 50 ms NOT met' },
  { name: `collapsed, known-covariance base (K = ${kn.st.active.length})`, seconds: knSec },
  { name: `two-step (notes' sampler), Normal–Wishart base (K = ${ts.st.active.length})`, seconds: tsSec },
]);
