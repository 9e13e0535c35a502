/**
 * GP Regression (notes): posterior mean $\mu_* = K_*^\top(K+\sigma^2I)^{-1}y$ and variance bands after fitting
 * the hyperparameters by maximising the log marginal likelihood (L-BFGS over log-parameters, restarts).
 */
import { atLeast } from '../../claims.js';
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { constant, fitGP, matern, product, sum, white } from '@notes/gp';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'gp/posterior',
  title: 'GP regression: posterior mean and 95% bands with fitted hyperparameters',
  section: 'GP Regression',
  order: 320,
  run({ seed }) {
    const rng = createRng(seed);
    const n = 25;
    const X = Array.from({ length: n }, () => [8 * rng.uniform() - 4]).filter((r) => r[0] < -0.5 || r[0] > 1.5);
    const e = sampleNormalArray(rng, X.length, 0, 0.15);
    const truth = (x: number) => Math.sin(1.5 * x) + 0.3 * x;
    const y = X.map((r, i) => truth(r[0]) + e[i]);
    const model = fitGP(X, y, {
      kernel: sum(product(constant(1), matern({ nu: 2.5, lengthScale: 1 })), white(0.1)),
      restarts: 3,
      seed,
      normalizeY: true,
    });
    const xs = Array.from({ length: 201 }, (_, i) => -5 + (10 * i) / 200);
    const { mean, std } = model.predict(xs);
    const curve = xs.map((x, i) => ({
      x,
      mean: mean[i],
      lo: mean[i] - 1.96 * std[i],
      hi: mean[i] + 1.96 * std[i],
      truth: truth(x),
    }));
    const points = X.map((r, i) => ({ x: r[0], y: y[i] }));
    const inData = (x: number): boolean => (x >= -4 && x <= -0.5) || (x >= 1.5 && x <= 4);
    const dataIdx = xs.map((x, i) => (inData(x) ? i : -1)).filter((i) => i >= 0);
    const gapIdx = xs.map((x, i) => (x > -0.3 && x < 1.3 ? i : -1)).filter((i) => i >= 0);
    const covered = dataIdx.filter((i) => Math.abs((mean[i] as number) - truth(xs[i] as number)) <= 1.96 * (std[i] as number)).length;
    const avg = (idx: number[]): number => idx.reduce((a, i) => a + (std[i] as number), 0) / idx.length;
    return {
      claims: [
        atLeast('the 95 % band holds the true function on the data range (share of grid points)', covered / dataIdx.length, 0.9),
        atLeast('the band widens in the gap (−0.5, 1.5): mean σ in the gap over mean σ on the data range', avg(gapIdx) / avg(dataIdx), 1.2),
      ],
      summary: `Fitted kernel: ${model.kernel}. The band is mean ± 1.96·σ of f plus the fitted white noise (scikit-learn's convention); it widens in the gap (−0.5, 1.5) and outside the data. Predicted variances are floored at 0.`,
      metrics: {
        n: X.length,
        'log marginal likelihood (normalised y)': model.logMarginalLikelihood,
        'L-BFGS iterations': model.report.iterations,
        converged: model.report.converged,
        'bound hits': model.report.boundHits.join(', ') || 'none',
        jitter: model.report.jitter,
        'log-ML evaluations per start': model.report.startEvaluations.join(', '),
      },
      plots: [
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          width: 600,
          height: 300,
          layer: [
            { data: { values: curve }, mark: { type: 'area', opacity: 0.25 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative', title: 'y' }, y2: { field: 'hi' } } },
            { data: { values: curve }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'mean', type: 'quantitative' } } },
            { data: { values: curve }, mark: { type: 'line', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'truth', type: 'quantitative' } } },
            { data: { values: points }, mark: { type: 'point', filled: true, color: 'black' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
          ],
        },
      ],
    };
  },
};

export default demo;
