/**
 * Hyena vs attention scaling (notes: Hyena Hierarchy): forward time of an order-2 Hyena operator and of
 * causal self-attention of the same width as the sequence grows; log-log slopes ≈ 1 (L log L) and ≈ 2.
 * Best of three runs here (indicative); `pnpm bench` in packages/hyena measures medians up to L = 16,384.
 */
import { createRng, noGrad, sampleNormalArray, Tensor } from '@notes/core-linalg';
import { CausalSelfAttention, HyenaOperator } from '@notes/hyena';
import type { Demo } from '../../demo.js';

const slope = (pts: [number, number][]): number => {
  const xs = pts.map(([x]) => Math.log(x));
  const ys = pts.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] as number) - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
};

const demo: Demo = {
  id: 'hyena/scaling',
  title: 'Hyena operator vs self-attention: forward time against sequence length',
  section: 'Hyena Hierarchy · Order-N hyena operator vs self-attention operator',
  order: 720,
  run({ seed, log }) {
    const D = 32;
    const lengths = [128, 256, 512, 1024, 2048];
    const hyena = new HyenaOperator({ width: D, order: 2, maxLength: 2048, seed });
    const attention = new CausalSelfAttention({ width: D, heads: 2, seed });
    const rng = createRng(seed);
    const rows: { L: number; operator: string; ms: number }[] = [];
    for (const L of lengths) {
      const u = new Tensor(sampleNormalArray(rng, L * D), [L, D]);
      for (const [name, op] of [
        ['Hyena (N=2)', hyena],
        ['self-attention', attention],
      ] as const) {
        noGrad(() => op.forward(u)); // warm-up
        let best = Number.POSITIVE_INFINITY;
        for (let rep = 0; rep < 3; rep++) {
          const t0 = performance.now();
          noGrad(() => op.forward(u));
          best = Math.min(best, performance.now() - t0);
        }
        rows.push({ L, operator: name, ms: best });
      }
      log(`L=${L} done`);
    }
    const big = rows.filter((r) => r.L >= 512);
    const sH = slope(big.filter((r) => r.operator.startsWith('Hyena')).map((r) => [r.L, r.ms]));
    const sA = slope(big.filter((r) => r.operator === 'self-attention').map((r) => [r.L, r.ms]));
    return {
      summary: `Width ${D}; the best of three runs per point after a warm-up (indicative; the package benchmark reports medians). Slopes are fitted for L ≥ 512.`,
      metrics: { 'Hyena log-log slope': sH, 'attention log-log slope': sA },
      tables: [{ title: 'Forward time (ms)', rows }],
      plots: [
        {
          title: 'Forward time vs L (log-log)',
          data: { values: rows },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'L', type: 'quantitative', scale: { type: 'log' } },
            y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms' },
            color: { field: 'operator', type: 'nominal' },
          },
        },
      ],
    };
  },
};

export default demo;
