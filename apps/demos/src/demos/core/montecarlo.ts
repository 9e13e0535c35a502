/**
 * Monte-Carlo error vs n (notes: Monte-Carlo estimation): the plain estimator of
 * $I = \int_0^1 e^x\,dx = e - 1$ is unbiased with standard error $\sigma/\sqrt{N}$, so on log-log axes
 * the error falls with slope −1/2. Also an importance-sampling estimate with a better proposal.
 */
import { atLeast, between } from '../../claims.js';
import { createRng, importanceSampling, monteCarlo } from '@notes/core-linalg';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'core/montecarlo',
  title: 'Monte Carlo: error falls as 1/√n',
  section: 'Monte-Carlo estimation',
  order: 110,
  run({ seed }) {
    const exact = Math.E - 1;
    const rows: { n: number; estimator: string; absError: number; standardError: number }[] = [];
    const ns = [10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000];
    let covered = 0;
    for (const [i, n] of ns.entries()) {
      const rng = createRng(seed + i);
      const plain = monteCarlo((u: number) => Math.exp(u), (r) => r.uniform(), n, rng);
      rows.push({ n, estimator: 'plain', absError: Math.abs(plain.estimate - exact), standardError: plain.standardError });
      if (Math.abs(plain.estimate - exact) < 2 * plain.standardError) covered++;
      // Proposal q(x) = 2(1+x)/3 on [0,1] (roughly proportional to e^x), sampled by inversion.
      const is = importanceSampling(
        (x: number) => Math.exp(x),
        (x: number) => (x >= 0 && x <= 1 ? 0 : Number.NEGATIVE_INFINITY),
        (r) => -1 + Math.sqrt(1 + 3 * r.uniform()),
        (x: number) => Math.log((2 * (1 + x)) / 3),
        n,
        rng,
      );
      rows.push({ n, estimator: 'importance', absError: Math.abs(is.estimate - exact), standardError: is.standardError });
    }
    // Least-squares slope of log standard error against log n (plain estimator).
    const plainRows = rows.filter((r) => r.estimator === 'plain');
    const xs = plainRows.map((r) => Math.log(r.n));
    const ys = plainRows.map((r) => Math.log(r.standardError));
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope =
      xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] as number) - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    const last = plainRows[plainRows.length - 1]!;
    const lastIs = rows[rows.length - 1]!;
    return {
      claims: [
        between('the standard error falls as n^(−1/2): fitted slope of log SE against log n', slope, -0.55, -0.45),
        atLeast('importance sampling with q ∝ 1+x reduces the variance at n = 1e6 (SE² ratio)', (last.standardError / lastIs.standardError) ** 2, 1),
        atLeast(`plain runs whose |error| < 2 SE (of ${ns.length}; each holds with probability ≈ 0.95)`, covered, ns.length - 2),
      ],
      summary:
        'Plain Monte Carlo of ∫₀¹ eˣ dx = e − 1 and importance sampling with q(x) = 2(1+x)/3. Points: absolute error; lines: the reported standard error σ̂/√n.',
      metrics: {
        'slope of log SE vs log n (theory −0.5)': slope,
        'plain |error| at n=1e6': last.absError,
        'plain SE at n=1e6': last.standardError,
        'importance SE at n=1e6': lastIs.standardError,
        'variance reduction (SE² ratio)': (last.standardError / lastIs.standardError) ** 2,
        'runs with |error| < 2 SE (plain)': `${covered}/${ns.length}`,
      },
      plots: [
        {
          title: 'Error and standard error vs n',
          data: { values: rows },
          layer: [
            {
              mark: { type: 'point', filled: true },
              encoding: {
                x: { field: 'n', type: 'quantitative', scale: { type: 'log' } },
                y: { field: 'absError', type: 'quantitative', scale: { type: 'log' }, title: 'error' },
                color: { field: 'estimator', type: 'nominal' },
              },
            },
            {
              mark: 'line',
              encoding: {
                x: { field: 'n', type: 'quantitative', scale: { type: 'log' } },
                y: { field: 'standardError', type: 'quantitative', scale: { type: 'log' } },
                color: { field: 'estimator', type: 'nominal' },
              },
            },
          ],
        },
      ],
    };
  },
};

export default demo;
