/**
 * Bayes basics and conjugate updating (notes: 贝叶斯 基础, Conjugate distribution): a Beta prior on a
 * coin's bias is updated flip by flip; the posterior narrows around the truth, sequential updates
 * equal the batch update, and the posterior predictive gives the next-flip probability.
 */
import { atMost, equals, near } from '../../claims.js';
import { betaBernoulli, normalGamma } from '@notes/bayes';
import { createRng, sampleNormal, sampleUniform } from '@notes/core-linalg';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'bayes/conjugate-updating',
  title: 'Conjugate updating: Beta–Bernoulli posterior after n flips, Normal–Gamma for (μ, τ)',
  section: '贝叶斯 · 基础 / Conjugate distribution',
  order: 200,
  run({ seed }) {
    const rng = createRng(seed);
    const pTrue = 0.7;
    const flips = Array.from({ length: 200 }, () => (sampleUniform(rng) < pTrue ? 1 : 0));
    const prior = betaBernoulli({ alpha: 2, beta: 2 });
    const rows: { p: number; density: number; n: string }[] = [];
    const table: Record<string, number | string>[] = [];
    let post = prior;
    let seen = 0;
    for (const n of [0, 1, 5, 20, 50, 200]) {
      post = post.update(flips.slice(seen, n)); // sequential: only the new flips
      seen = n;
      for (let i = 1; i < 200; i++) {
        const p = i / 200;
        rows.push({ p, density: Math.exp(post.logDensity(p)), n: `n = ${n}` });
      }
      const { alpha, beta } = post.params;
      const sd = Math.sqrt((alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1)));
      table.push({
        n,
        'posterior mean': post.mean(),
        'posterior sd': sd,
        'P(next flip = 1)': Math.exp(post.predictive().logPmf(1)),
        'log evidence log p(x_1..n)': prior.logMarginalLikelihood(flips.slice(0, n)),
      });
    }
    const batch = prior.update(flips);
    const ng = normalGamma({ mean: 0, kappa: 1, shape: 1, rate: 1 });
    const xs = Array.from({ length: 100 }, () => sampleNormal(rng, 2, 0.5));
    const ngPost = ng.update(xs);
    const { alpha: a200, beta: b200 } = post.params;
    const sd200 = Math.sqrt((a200 * b200) / ((a200 + b200) ** 2 * (a200 + b200 + 1)));
    return {
      claims: [
        equals('sequential updating = one batch update (α_seq − α_batch, β_seq − β_batch)', `${post.params.alpha - batch.params.alpha}, ${post.params.beta - batch.params.beta}`, '0, 0'),
        atMost('the posterior after 200 flips covers the true p = 0.7 (|mean − p| in posterior sds)', Math.abs(post.mean() - pTrue) / sd200, 3),
        near('Normal–Gamma posterior E[μ] after 100 draws of N(2, 0.5²)', ngPost.mean().mu, 2, 0.15),
      ],
      summary:
        'Prior Beta(2, 2) on the bias p of a coin with true p = 0.7. Each curve is the posterior after n flips, obtained by updating the previous posterior with only the new flips; the final posterior equals the one-shot batch update (same α, β). The table lists the posterior predictive P(next flip = 1) = α/(α+β) and the log evidence of the sequence.',
      metrics: {
        'true p': pTrue,
        'posterior mean after 200 flips': post.mean(),
        'sequential α − batch α': post.params.alpha - batch.params.alpha,
        'sequential β − batch β': post.params.beta - batch.params.beta,
        'Normal–Gamma E[μ] (true 2)': ngPost.mean().mu,
        'Normal–Gamma E[τ] (true 4)': ngPost.mean().tau,
      },
      plots: [
        {
          title: 'Beta posterior density of p after n flips (true p = 0.7)',
          data: { values: rows },
          mark: 'line',
          encoding: {
            x: { field: 'p', type: 'quantitative' },
            y: { field: 'density', type: 'quantitative' },
            color: { field: 'n', type: 'nominal', sort: null },
          },
        },
      ],
      tables: [{ title: 'Posterior summaries', rows: table }],
    };
  },
};

export default demo;
