/**
 * Dirichlet process (notes: Dirichlet process): stick-breaking weights for several concentrations,
 * and the expected number of CRP clusters Σ α/(α+i−1).
 */
import { atMost, equals } from '../../claims.js';
import { expectedClusters, sampleCRP, sampleStickBreaking } from '@notes/bayes';
import { createRng, sampleNormal } from '@notes/core-linalg';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'bayes/dp-stick-breaking',
  title: 'Dirichlet process: stick-breaking weights and CRP cluster counts',
  section: 'Dirichlet process mixture model · Dirichlet process',
  order: 220,
  run({ seed }) {
    const rng = createRng(seed);
    const bars: { k: number; weight: number; alpha: string }[] = [];
    const metrics: Record<string, number> = {};
    for (const alpha of [1, 5, 20]) {
      const g = sampleStickBreaking(alpha, rng, { base: (r) => sampleNormal(r), truncation: 200 });
      g.weights.forEach((w, k) => {
        if (k < 30) bars.push({ k: k + 1, weight: w, alpha: `α = ${alpha}` });
      });
      let need = 0;
      let acc = 0;
      while (acc < 0.95) acc += g.weights[need++] as number;
      metrics[`α = ${alpha}: sticks holding 95 % of the mass`] = need;
    }
    const table = [0.5, 1, 5, 20].map((alpha) => {
      const n = 500;
      const draws = Array.from({ length: 400 }, () => sampleCRP(n, alpha, rng).numClusters);
      const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
      const se = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1) / draws.length);
      return {
        alpha,
        n,
        'mean #clusters (400 CRP draws)': mean,
        'standard error': se,
        'Σ α/(α+i−1)': expectedClusters(n, alpha),
        'α log(1 + n/α)': alpha * Math.log(1 + n / alpha),
      };
    });
    const mass = [1, 5, 20].map((a) => metrics[`α = ${a}: sticks holding 95 % of the mass`] as number);
    return {
      claims: [
        atMost('CRP: mean #clusters of 400 draws = Σ α/(α+i−1) for α = 0.5, 1, 5, 20 (largest deviation in standard errors)', Math.max(...table.map((r) => Math.abs(r['mean #clusters (400 CRP draws)'] - r['Σ α/(α+i−1)']) / r['standard error'])), 4),
        equals('stick-breaking: a larger α needs more sticks for 95 % of the mass (α = 1 < 5 < 20)', mass[0]! < mass[1]! && mass[1]! < mass[2]!, true),
      ],
      summary:
        'V_k ~ Beta(1, α), π_k = V_k Π_{j<k}(1 − V_j): a small α puts almost all mass on the first few sticks, a large α spreads it (G approaches H as α → ∞). The table checks E[#clusters] = Σ α/(α+i−1) for the Chinese restaurant process.',
      metrics,
      plots: [
        {
          title: 'Stick-breaking weights π_k (first 30 sticks) of one draw per α',
          data: { values: bars },
          mark: 'bar',
          encoding: {
            x: { field: 'k', type: 'ordinal' },
            y: { field: 'weight', type: 'quantitative' },
            color: { field: 'alpha', type: 'nominal' },
            xOffset: { field: 'alpha', type: 'nominal' },
          },
        },
      ],
      tables: [{ title: 'CRP: expected number of clusters', rows: table }],
    };
  },
};

export default demo;
