// Sampler throughput: our validated samplers on a seeded Rng vs stdlib-js's bare samplers (the libraries
// they wrap) measured in the same run, so the ratio is the cost of validation and stream bookkeeping.
// Run: npx pnpm@10.34.8 bench (from packages/core-linalg).
import { report, time } from '@notes/bench-kit';
import stdBeta from '@stdlib/random-base-beta';
import stdBinomial from '@stdlib/random-base-binomial';
import stdGamma from '@stdlib/random-base-gamma';
import stdNormal from '@stdlib/random-base-normal';
import stdPoisson from '@stdlib/random-base-poisson';
import {
  createRng,
  sampleBeta,
  sampleBinomial,
  sampleCategoricalLog,
  sampleDirichlet,
  sampleGamma,
  sampleMultivariateNormal,
  sampleNormalArray,
  samplePoisson,
} from '../src/random/index.js';
import { cholesky } from '../src/linalg/index.js';

const N = 100_000;
const rng = createRng(1);
const loop = (f: () => number) => () => {
  let s = 0;
  for (let i = 0; i < N; i++) s += f();
  return s;
};

const sNormal = stdNormal.factory(0, 1, { seed: 1 });
const sGamma = stdGamma.factory({ seed: 1 });
const sBeta = stdBeta.factory({ seed: 1 });
const sPoisson = stdPoisson.factory({ seed: 1 });

report(`samplers, ${N.toLocaleString('en')} draws`, [
  { name: 'rng.normal()', seconds: time(loop(() => rng.normal())), baseline: time(loop(() => sNormal())), baselineName: 'stdlib normal' },
  { name: 'sampleNormalArray', seconds: time(() => sampleNormalArray(rng, N)), baseline: time(loop(() => sNormal())), baselineName: 'stdlib normal loop' },
  { name: 'sampleGamma(2.5, 1)', seconds: time(loop(() => sampleGamma(rng, 2.5))), baseline: time(loop(() => sGamma(2.5, 1))), baselineName: 'stdlib gamma' },
  { name: 'sampleBeta(2, 3)', seconds: time(loop(() => sampleBeta(rng, 2, 3))), baseline: time(loop(() => sBeta(2, 3))), baselineName: 'stdlib beta' },
  { name: 'samplePoisson(40)', seconds: time(loop(() => samplePoisson(rng, 40))), baseline: time(loop(() => sPoisson(40))), baselineName: 'stdlib poisson' },
  { name: 'sampleBinomial(1000, 0.05) (unbiased beta-splitting)', seconds: time(loop(() => sampleBinomial(rng, 1000, 0.05))) },
]);

const logits = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i));
const alpha = Float64Array.from({ length: 10 }, (_, i) => 0.5 + i);
const L = cholesky([
  [2, 0.5, 0],
  [0.5, 1, 0.2],
  [0, 0.2, 1],
]);
report('vector samplers, 10,000 draws', [
  { name: 'sampleCategoricalLog, k = 100', seconds: time(() => { for (let i = 0; i < 10_000; i++) sampleCategoricalLog(rng, logits); }) },
  { name: 'sampleDirichlet, k = 10', seconds: time(() => { for (let i = 0; i < 10_000; i++) sampleDirichlet(rng, alpha); }) },
  { name: 'sampleMultivariateNormal, p = 3 (factor given)', seconds: time(() => { for (let i = 0; i < 10_000; i++) sampleMultivariateNormal(rng, [0, 0, 0], L); }) },
]);

// Why sampleBinomial is not a bare re-export: the mean of stdlib's binomial(1000, 0.05) vs ours, 200,000
// draws each, as a z-score against the exact mean 50 (|z| > 4 means biased).
{
  const draws = 200_000;
  const sBinomial = stdBinomial.factory({ seed: 7 });
  const ours = createRng(7);
  let a = 0;
  let b = 0;
  for (let i = 0; i < draws; i++) {
    a += sBinomial(1000, 0.05);
    b += sampleBinomial(ours, 1000, 0.05);
  }
  const se = Math.sqrt((1000 * 0.05 * 0.95) / draws);
  console.log('\n## binomial(1000, 0.05) bias check (exact mean 50)');
  console.log(`- stdlib random-base-binomial: mean ${(a / draws).toFixed(4)}, z = ${((a / draws - 50) / se).toFixed(1)}`);
  console.log(`- sampleBinomial (beta-splitting): mean ${(b / draws).toFixed(4)}, z = ${((b / draws - 50) / se).toFixed(1)}`);
}
