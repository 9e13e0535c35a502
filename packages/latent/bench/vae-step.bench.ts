// pnpm bench: one VAE training step (784-400-(2×20) / 20-400-784, tanh, Bernoulli logits, batch 100, float64,
// Adam; forward, backward and update) against PyTorch CPU float64 (Debian python3-torch, torch.set_num_threads(1)
// as our engine is single-threaded) on the same batch, in alternating rounds; each side reports its fastest round.
// Also the IWAE objective with k = 5 (five decoder passes per image).
import { loadavg } from 'node:os';
import { createAdamOptimizer, createRng, MLP, ops, Tensor, variableGrads } from '@notes/core-linalg';
import { findPython, report, runPython, time } from '@notes/bench-kit';
import { vaeBounds } from '../src/vae/vae.js';

const D = 784;
const H = 400;
const L = 20;
const B = 100;
const rng = createRng(1);
const xData = Array.from({ length: B * D }, () => (rng.uniform() < 0.13 ? 1 : 0));

function oursStep(k: number): () => number {
  const cfg = { dimension: D, latentDim: L, hidden: [H], activation: 'tanh' as const, likelihood: 'bernoulli' as const };
  const enc = new MLP([D, H, 2 * L], { activation: 'tanh', seed: 1 });
  const dec = new MLP([L, H, D], { activation: 'tanh', seed: 2 });
  const params = [...enc.parameters(), ...dec.parameters()];
  const adam = createAdamOptimizer(params, { lr: 1e-3 });
  const x = Tensor.fromArray(xData, [B, D]);
  return () => {
    const eps = Tensor.fromArray(Array.from({ length: k * B * L }, () => rng.normal()), [k, B, L]);
    const { value, grads } = variableGrads(() => {
      const r = vaeBounds(enc, dec, cfg, x, eps);
      return ops.neg(ops.mean(k === 1 ? r.elbo : r.iwae));
    }, params);
    adam.step(grads);
    return value;
  };
}

const SCRIPT = `
import json, sys, time, math
import torch
torch.set_num_threads(1)
torch.manual_seed(0)
inp = json.load(sys.stdin)
D, H, L, B, k = 784, 400, 20, 100, inp["k"]
x = torch.tensor(inp["x"], dtype=torch.float64).reshape(B, D)
enc = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.Tanh(), torch.nn.Linear(H, 2 * L)).double()
dec = torch.nn.Sequential(torch.nn.Linear(L, H), torch.nn.Tanh(), torch.nn.Linear(H, D)).double()
opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=1e-3)
def step():
    opt.zero_grad()
    e = enc(x); mu, lv = e[:, :L], e[:, L:]
    eps = torch.randn(k, B, L, dtype=torch.float64)
    z = mu + torch.exp(0.5 * lv) * eps
    logits = dec(z.reshape(k * B, L)).reshape(k, B, D)
    logpx = (x * logits - torch.nn.functional.softplus(logits)).sum(-1)
    if k == 1:
        kl = 0.5 * (mu ** 2 + lv.exp() - 1 - lv).sum(-1)
        loss = -(logpx.mean(0) - kl).mean()
    else:
        logw = logpx - 0.5 * (z ** 2).sum(-1) + 0.5 * (eps ** 2 + lv).sum(-1)
        loss = -(torch.logsumexp(logw, 0) - math.log(k)).mean()
    loss.backward(); opt.step()
for _ in range(3): step()
best = 1e9
for r in range(inp["rounds"]):
    t = time.perf_counter(); n = 0
    while time.perf_counter() - t < 1.0:
        step(); n += 1
    best = min(best, (time.perf_counter() - t) / n)
print(json.dumps({"seconds": best}))
`;

const python = findPython(['torch']);
const rows = [];
for (const k of [1, 5]) {
  const step = oursStep(k);
  let ours = Number.POSITIVE_INFINITY;
  let theirs: number | null = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    ours = Math.min(ours, time(step, { minMs: 1500, minRuns: 5 }));
    if (python) theirs = Math.min(theirs as number, runPython<{ seconds: number }>(python, SCRIPT, { x: xData, k, rounds: 1 }).seconds);
  }
  if (!python) theirs = null;
  rows.push({
    name: `VAE training step ${D}-${H}-(2×${L}) batch ${B} float64, ${k === 1 ? 'ELBO' : `IWAE k = ${k}`}`,
    seconds: ours,
    baseline: theirs,
    baselineName: 'PyTorch CPU float64 (1 thread)',
    note: `load ${loadavg()[0]?.toFixed(2)}`,
  });
}
report('@notes/latent VAE training step', rows);
