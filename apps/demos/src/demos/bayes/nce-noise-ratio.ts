/**
 * Noise-contrastive estimation (notes: Noise-contrastive estimation): fit a Gaussian known only up to
 * its normaliser, with log Z as a free parameter, and how the errors change with the noise ratio
 * ν = T_noise/T_data (the report states which of them fall, from the runs).
 */
import { atMost, near } from '../../claims.js';
import { fitNCE, gaussianNoise, unnormalizedGaussian } from '@notes/bayes';
import { createRng, sampleNormal } from '@notes/core-linalg';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'bayes/nce-noise-ratio',
  title: 'NCE: recovering μ, τ and log Z, and the effect of the noise ratio',
  section: 'Noise-contrastive estimation',
  order: 240,
  run({ seed }) {
    const mu = 1;
    const tau = 4;
    const logZ = 0.5 * Math.log((2 * Math.PI) / tau);
    const rows: { nu: number; parameter: string; rmse: number }[] = [];
    const table: Record<string, number>[] = [];
    for (const nu of [1, 2, 5, 10, 25]) {
      const err = { mu: 0, logTau: 0, logZ: 0 };
      const R = 12;
      for (let r = 0; r < R; r++) {
        const rng = createRng(seed * 1000 + r);
        const x = Array.from({ length: 500 }, () => sampleNormal(rng, mu, 1 / Math.sqrt(tau)));
        const f = fitNCE(x, { model: unnormalizedGaussian, alpha0: [0, 0], noise: gaussianNoise(0, 2), noiseRatio: nu, seed: seed + r });
        err.mu += (f.alpha[0]! - mu) ** 2 / R;
        err.logTau += (f.alpha[1]! - Math.log(tau)) ** 2 / R;
        err.logZ += (f.logZ - logZ) ** 2 / R;
      }
      rows.push({ nu, parameter: 'μ', rmse: Math.sqrt(err.mu) }, { nu, parameter: 'log τ', rmse: Math.sqrt(err.logTau) }, { nu, parameter: 'log Z', rmse: Math.sqrt(err.logZ) });
      table.push({ 'noise ratio ν': nu, 'RMSE μ': Math.sqrt(err.mu), 'RMSE log τ': Math.sqrt(err.logTau), 'RMSE log Z': Math.sqrt(err.logZ) });
    }
    const big = createRng(seed + 99);
    const one = fitNCE(Array.from({ length: 2000 }, () => sampleNormal(big, mu, 0.5)), {
      model: unnormalizedGaussian,
      alpha0: [0, 0],
      noise: gaussianNoise(0, 2),
      noiseRatio: 10,
      seed,
    });
    const first = table[0] as Record<string, number>;
    const lastRow = table[table.length - 1] as Record<string, number>;
    const names = ['RMSE μ', 'RMSE log τ', 'RMSE log Z'];
    const fell = names.filter((k) => (lastRow[k] as number) < (first[k] as number));
    const rose = names.filter((k) => !fell.includes(k));
    return {
      claims: [
        near('NCE recovers log Z as a free parameter (n = 2000, ν = 10)', one.logZ, logZ, 0.1),
        atMost('the log Z error falls from ν = 1 to ν = 25 (RMSE ratio)', (lastRow['RMSE log Z'] as number) / (first['RMSE log Z'] as number), 1),
      ],
      summary:
        `From ν = 1 to ν = 25 these errors fall: ${fell.join(', ') || 'none'}${rose.length ? `; these do not: ${rose.join(', ')}` : ''} (RMSE over 12 data sets of 500 draws). ` +
        'Data: 500 draws of N(1, 0.5²). Model: log p_m(u) = −½τ(u − μ)² + c with c = −log Z a free parameter; noise N(0, 2²). NCE discriminates data from ν·T noise samples by logistic regression on G(u) = log p_m(u) − log ν − log p_n(u). With more noise samples NCE approaches the efficiency of maximum likelihood.',
      metrics: {
        'true log Z': logZ,
        'estimated log Z (n = 2000, ν = 10)': one.logZ,
        'estimated μ': one.alpha[0]!,
        'estimated τ': Math.exp(one.alpha[1]!),
        converged: one.report.converged,
      },
      plots: [
        {
          title: 'RMSE of NCE estimates vs noise ratio ν (n = 500, 12 repetitions)',
          data: { values: rows },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'nu', type: 'quantitative', scale: { type: 'log' }, title: 'noise ratio ν' },
            y: { field: 'rmse', type: 'quantitative', scale: { type: 'log' } },
            color: { field: 'parameter', type: 'nominal' },
          },
        },
      ],
      tables: [{ title: 'RMSE vs noise ratio', rows: table }],
    };
  },
};

export default demo;
