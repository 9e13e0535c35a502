/**
 * Linear CRF, $Z(x) = \sum_y \exp\{\sum_t \ldots\}$: the log-space forward–backward recursion gives exactly the
 * numbers that brute-force enumeration over all $Y^T$ label paths gives, at cost $O(TY^2)$ instead of $O(Y^T)$.
 */
import { atLeast, atMost, equals, medianMs } from '../../claims.js';
import { createRng } from '@notes/core-linalg';
import { chainBruteForce, chainMarginals, chainViterbi } from '@notes/crf';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'crf/forward-backward',
  title: 'Forward–backward vs enumeration over all label paths',
  section: 'Conditional Probabilistic Graphical Model · Linear CRF',
  order: 620,
  run({ seed }) {
    const rng = createRng(seed);
    const Y = 4;
    const rows: { T: number; paths: number; logZError: number; marginalError: number; viterbiAgrees: boolean; enumerateMs: number; forwardBackwardMs: number }[] = [];
    for (let T = 1; T <= 9; T++) {
      const unary = Array.from({ length: T }, () => Array.from({ length: Y }, () => 3 * rng.normal()));
      const trans = Array.from({ length: Y }, () => Array.from({ length: Y }, () => 2 * rng.normal()));
      const bf = chainBruteForce(unary, trans);
      const fb = chainMarginals(unary, trans);
      const vit = chainViterbi(unary, trans);
      // Medians of repeats; below T ≈ 5 both take microseconds and the timer resolution dominates.
      const enumerateMs = medianMs(() => chainBruteForce(unary, trans), T >= 8 ? 3 : 7);
      const forwardBackwardMs = medianMs(() => {
        chainMarginals(unary, trans);
        chainViterbi(unary, trans);
      }, 7);
      let worst = 0;
      for (let t = 0; t < T; t++) for (let y = 0; y < Y; y++) worst = Math.max(worst, Math.abs(fb.marginals.get(t, y) - bf.marginals.get(t, y)));
      rows.push({
        T,
        paths: Y ** T,
        logZError: Math.abs(fb.logZ - bf.logZ),
        marginalError: worst,
        viterbiAgrees: Math.abs(vit.score - bf.best.score) < 1e-9,
        enumerateMs,
        forwardBackwardMs,
      });
    }
    const ms = (T: number): number => rows.find((r) => r.T === T)?.enumerateMs ?? Number.NaN;
    return {
      claims: [
        atMost('log Z(x) by forward–backward = log of the sum over all Y^T paths (max error, T = 1…9)', Math.max(...rows.map((r) => r.logZError)), 1e-10),
        atMost('marginals p(y_t | x) by forward–backward = enumeration (max error)', Math.max(...rows.map((r) => r.marginalError)), 1e-10),
        equals('Viterbi score = best enumerated path score (all T)', rows.every((r) => r.viterbiAgrees), true),
        atLeast(`enumeration time grows with the path count: median time at T = 9 over T = 6 (paths ×${Y ** 3})`, ms(9) / ms(6), 10),
      ],
      metrics: {
        'max |log Z error|': Math.max(...rows.map((r) => r.logZError)),
        'max |marginal error|': Math.max(...rows.map((r) => r.marginalError)),
        'Viterbi = enumerated argmax (all T)': rows.every((r) => r.viterbiAgrees),
        'enumeration ms at T = 9': rows[rows.length - 1].enumerateMs,
      },
      summary: `Random chains with ${Y} labels and T = 1…9 positions (scores ~ N(0, 3²) and N(0, 2²)). Errors are at rounding level. Times are medians of repeated runs; enumeration visits all ${Y}^T paths (${Y ** 9} at T = 9), so from T ≈ 5 on its time grows by about ×${Y} per position, while forward–backward stays O(TY²).`,
      tables: [{ title: 'Forward–backward vs enumeration', rows }],
      plots: [
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          title: 'Time: enumeration vs forward–backward',
          width: 420,
          height: 220,
          data: { values: rows.flatMap((r) => [
            { T: r.T, method: 'enumeration', ms: Math.max(r.enumerateMs, 1e-3) },
            { T: r.T, method: 'forward–backward + Viterbi', ms: Math.max(r.forwardBackwardMs, 1e-3) },
          ]) },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'T', type: 'quantitative' },
            y: { field: 'ms', type: 'quantitative', scale: { type: 'log' } },
            color: { field: 'method', type: 'nominal' },
          },
        },
      ],
    };
  },
};

export default demo;
