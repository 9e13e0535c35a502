/**
 * Where a training step's time goes at long L: CPU time of forward + backward (an autodiff tape, loss
 * sum(y²)) of one Hyena operator (order 2, width 64) and of its parts — projection (Algorithm 1 with the
 * 3-tap short filter), implicit filter (Algorithm 2), the recurrence (two causal FFT convolutions) and one
 * `ops.fftConv1d` — against one 4-head causal attention layer of the same width. Mean of 3 runs after a warm-up.
 *
 * Usage: node --import tsx bench/mixer-parts.ts [L=2048]
 */
import { cpuUsage } from 'node:process';
import { createRng, ops, sampleNormalArray, Tensor, variableGrads } from '@notes/core-linalg';
import { CausalSelfAttention, HyenaOperator } from '../src/index.js';
import { recurrence } from '../src/hyena/recurrence.js';
const L = Number(process.argv[2] ?? 2048);
const W = 64;
const hy = new HyenaOperator({ width: W, order: 2, maxLength: L, seed: 1 });
const at = new CausalSelfAttention({ width: W, heads: 4, seed: 1 });
const u = new Tensor(sampleNormalArray(createRng(1), L * W), [L, W]);
const time = (name: string, f: () => Tensor, params: Tensor[], n = 3) => {
  variableGrads(() => { const y = f(); return ops.sum(ops.mul(y, y)); }, params);
  const c0 = cpuUsage();
  for (let i = 0; i < n; i++) variableGrads(() => { const y = f(); return ops.sum(ops.mul(y, y)); }, params);
  const c = cpuUsage(c0);
  console.log(name.padEnd(28), ((c.user + c.system) / 1000 / n).toFixed(1), 'ms CPU fwd+bwd');
};
time('hyena operator', () => hy.forward(u), [u, ...hy.parameters()]);
time('  projection', () => hy.projection.forward(u).v, [u, ...hy.projection.parameters()]);
time('  filter', () => hy.filter.forward(L)[0] as Tensor, hy.filter.parameters());
const { v, x } = hy.projection.forward(u);
const h = hy.filter.forward(L);
const vv = new Tensor(v.data.slice(), v.shape); const xx = x.map((t) => new Tensor(t.data.slice(), t.shape)); const hh = h.map((t) => new Tensor(t.data.slice(), t.shape));
time('  recurrence (2 fftconv)', () => recurrence(vv, xx, hh, 'w', 'u'), [vv, ...xx, ...hh]);
time('  fftConv1d one', () => ops.fftConv1d(vv, hh[0] as Tensor), [vv, hh[0] as Tensor]);
time('attention (4 heads)', () => at.forward(u), [u, ...at.parameters()]);
