/**
 * Gaussian Process (notes: covariance functions): three functions drawn from the prior of each kernel,
 * $f \sim \mathcal N(0, K(X, X))$, including the notes' arcsine / neural-network kernel.
 */
import { atMost } from '../../claims.js';
import { type Kernel, arcsine, linear, matern, periodic, rationalQuadratic, rbf, samplePrior } from '@notes/gp';
import type { Demo } from '../../demo.js';

const KERNELS: [string, Kernel][] = [
  ['RBF ℓ=1', rbf({ lengthScale: 1 })],
  ['Matérn ½ ℓ=1', matern({ nu: 0.5, lengthScale: 1 })],
  ['Matérn 3/2 ℓ=1', matern({ nu: 1.5, lengthScale: 1 })],
  ['Matérn 5/2 ℓ=1', matern({ nu: 2.5, lengthScale: 1 })],
  ['Rational quadratic ℓ=1 α=0.5', rationalQuadratic({ lengthScale: 1, alpha: 0.5 })],
  ['Periodic ℓ=1 p=2', periodic({ lengthScale: 1, periodicity: 2 })],
  ['Linear σ₀=0.5', linear({ sigma0: 0.5 })],
  ['Arcsine (NN) σ²=5', arcsine({ weightVariance: 5, biasVariance: 1 })],
];

const demo: Demo = {
  id: 'gp/priors',
  title: 'GP prior samples for each kernel',
  section: 'Gaussian Process',
  order: 310,
  run({ seed }) {
    const xs = Array.from({ length: 121 }, (_, i) => -3 + (6 * i) / 120);
    const values: { kernel: string; x: number; f: number; sample: string }[] = [];
    const metrics: Record<string, number> = {};
    for (const [name, k] of KERNELS) {
      const { samples, jitter } = samplePrior(k, xs, { seed, n: 3 });
      metrics[`jitter ${name}`] = jitter;
      for (let s = 0; s < 3; s++) {
        xs.forEach((x, i) => {
          values.push({ kernel: name, x, f: samples.get(s, i), sample: `s${s + 1}` });
        });
      }
    }
    const f = (kernel: string, s: number, i: number): number =>
      (values.find((v) => v.kernel === kernel && v.sample === `s${s + 1}` && v.x === xs[i]) as { f: number }).f;
    const period = KERNELS.find(([n]) => n.startsWith('Periodic'))?.[0] as string;
    const lin = KERNELS.find(([n]) => n.startsWith('Linear'))?.[0] as string;
    let periodDev = 0;
    let curvature = 0;
    let spread = 0;
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i + 40 < xs.length; i++) periodDev = Math.max(periodDev, Math.abs(f(period, s, i + 40) - f(period, s, i)));
      for (let i = 1; i + 1 < xs.length; i++) curvature = Math.max(curvature, Math.abs(f(lin, s, i + 1) - 2 * f(lin, s, i) + f(lin, s, i - 1)));
      for (let i = 0; i < xs.length; i++) spread = Math.max(spread, Math.abs(f(lin, s, i)));
    }
    const tol = (name: string): number => 30 * Math.sqrt(metrics[`jitter ${name}`] ?? 0) + 1e-9;
    return {
      claims: [
        atMost('periodic-kernel draws repeat every p = 2: max |f(x + p) − f(x)| (the jitter εI adds noise of size √ε; bound 30√ε)', periodDev, tol(period)),
        atMost('linear-kernel draws are straight lines: max |second difference| (up to the jitter)', curvature, tol(lin) + 1e-12 * spread),
      ],
      summary:
        'Each panel shows three draws f = Lz (K + εI = LLᵀ, z ~ N(0, I)) on 121 points. Matérn ½ is rough (Ornstein–Uhlenbeck), smoothness grows with ν towards the RBF; the periodic kernel repeats every p; the linear kernel gives lines; the arcsine kernel (a one-hidden-layer network with infinitely many erf units) saturates like a sigmoid. The jitter ε Cholesky needed is reported per kernel.',
      metrics,
      plots: [
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          data: { values },
          facet: { field: 'kernel', type: 'nominal', columns: 4 },
          spec: {
            width: 170,
            height: 120,
            mark: { type: 'line', strokeWidth: 1.2 },
            encoding: {
              x: { field: 'x', type: 'quantitative' },
              y: { field: 'f', type: 'quantitative', title: 'f(x)' },
              color: { field: 'sample', type: 'nominal', legend: null },
            },
          },
          resolve: { scale: { y: 'independent' } },
        },
      ],
    };
  },
};

export default demo;
