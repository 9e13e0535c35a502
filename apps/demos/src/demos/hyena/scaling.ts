/**
 * Hyena vs attention scaling (notes: Hyena Hierarchy): forward time of an order-2 Hyena operator and of
 * causal self-attention of the same width as the sequence grows; log-log slopes ≈ 1 (L log L) and ≈ 2.
 * Medians of five runs after a warm-up; `pnpm bench` in packages/hyena measures up to L = 16,384.
 */
import { atLeast, atMost, between, medianMs } from '../../claims.js';
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
    const lengths = [512, 1024, 2048, 4096];
    const hyena = new HyenaOperator({ width: D, order: 2, maxLength: 4096, seed });
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
        rows.push({ L, operator: name, ms: medianMs(() => noGrad(() => op.forward(u)), 5) });
      }
      log(`L=${L} done`);
    }
    const big = rows;
    const sH = slope(big.filter((r) => r.operator.startsWith('Hyena')).map((r) => [r.L, r.ms]));
    const sA = slope(big.filter((r) => r.operator === 'self-attention').map((r) => [r.L, r.ms]));
    const at = (op: string, L: number): number => rows.find((r) => r.L === L && r.operator.startsWith(op))?.ms ?? Number.NaN;
    const Lmax = lengths[lengths.length - 1] as number;
    return {
      claims: [
        between('self-attention time grows about quadratically: log-log slope', sA, 1.5, 2.5),
        atMost('the Hyena operator grows about as L log L: log-log slope', sH, 1.4),
        atLeast(`at L = ${Lmax} self-attention is slower than Hyena (median time ratio)`, at('self', Lmax) / at('Hyena', Lmax), 2),
      ],
      summary: `Width ${D}; medians of five runs per point after a warm-up, L from ${lengths[0]} to ${Lmax} (smaller L are dominated by fixed costs). Log-log slopes are least-squares fits over all lengths: Hyena ${sH.toFixed(2)} (L log L), attention ${sA.toFixed(2)} (L²).`,
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
