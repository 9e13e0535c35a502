/**
 * f-divergences between N(0, 1) and N(μ, 1) as the mean shifts (notes: GAN f-divergence, and the
 * "Optimal transport" argument): JS saturates at log 2 and TV at 1 once the distributions stop
 * overlapping, so their gradients vanish; KL grows like μ²/2, and W1 = |μ| keeps growing linearly.
 */
import { atMost, near } from '../../claims.js';
import { type FDivergenceName, gaussianFDivergence, gaussianWasserstein1d } from '@notes/gan';
import type { Demo } from '../../demo.js';

const names: FDivergenceName[] = ['kl', 'reverse-kl', 'jensen-shannon', 'total-variation', 'hellinger', 'pearson'];

const demo: Demo = {
  id: 'gan/fdivergence-gaussians',
  title: 'f-divergences and W1 between two Gaussians as the mean shifts',
  section: 'GAN (f-divergence), Optimal transport',
  order: 520,
  run() {
    const rows: { mu: number; divergence: string; value: number }[] = [];
    const P = { mean: 0, sd: 1 };
    for (let k = 1; k <= 60; k++) {
      const mu = 0.1 * k;
      const Q = { mean: mu, sd: 1 };
      for (const name of names) {
        const value = gaussianFDivergence(name, P, Q);
        if (Number.isFinite(value) && value < 1e6) rows.push({ mu, divergence: name, value });
      }
      rows.push({ mu, divergence: 'W1 (optimal transport)', value: gaussianWasserstein1d(P, Q) });
    }
    const at = (name: string, mu: number) => rows.find((r) => r.divergence === name && Math.abs(r.mu - mu) < 1e-9)!.value;
    return {
      claims: [
        near('JS divergence saturates at log 2 (value at μ = 6)', at('jensen-shannon', 6), Math.log(2), 0.01),
        near('TV saturates at 1 (value at μ = 6)', at('total-variation', 6), 1, 0.01),
        near('KL(N(0,1) ‖ N(μ,1)) = μ²/2 at μ = 6', at('kl', 6), 18, 1e-9),
        near('W1 = |μ| at μ = 6', at('W1 (optimal transport)', 6), 6, 1e-9),
        atMost('JS is nearly flat far apart: its increase from μ = 5 to 6 relative to W1\'s (which grows by 1)', (at('jensen-shannon', 6) - at('jensen-shannon', 5)) / (at('W1 (optimal transport)', 6) - at('W1 (optimal transport)', 5)), 0.05),
      ],
      summary:
        'D_f(N(0,1) ‖ N(μ,1)) for the six generators and W1 = |μ|. JS → log 2 ≈ 0.693 and TV → 1: flat once the supports barely overlap — the vanishing-gradient problem that motivates Wasserstein GANs.',
      metrics: {
        'JS at μ = 6 (limit log 2 = 0.6931)': at('jensen-shannon', 6),
        'TV at μ = 6 (limit 1)': at('total-variation', 6),
        'KL at μ = 6 (= μ²/2 = 18)': at('kl', 6),
        'W1 at μ = 6 (= |μ|)': at('W1 (optimal transport)', 6),
        'JS(μ=6) − JS(μ=5)': at('jensen-shannon', 6) - at('jensen-shannon', 5),
        'W1(μ=6) − W1(μ=5)': at('W1 (optimal transport)', 6) - at('W1 (optimal transport)', 5),
      },
      plots: [
        {
          title: 'Divergence between N(0,1) and N(μ,1)',
          width: 420,
          height: 300,
          data: { values: rows },
          mark: 'line',
          encoding: {
            x: { field: 'mu', type: 'quantitative', title: 'mean shift μ' },
            y: { field: 'value', type: 'quantitative', scale: { type: 'log' }, title: 'divergence' },
            color: { field: 'divergence', type: 'nominal' },
          },
        },
      ],
    };
  },
};

export default demo;
