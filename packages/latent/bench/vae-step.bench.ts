// pnpm bench: one VAE training step (784-400-(2×20) / 20-400-784, tanh, Bernoulli logits, batch 100, float64,
// Adam; forward, backward and update — the step of fitVAE) against PyTorch CPU float64 (Debian python3-torch) on
// the same batch, both with ONE thread (our engine is single-threaded; torch.set_num_threads(1)), in alternating
// rounds. Each round warms up with 5 unmeasured steps, then times a block of steps on each side: CPU time (user + system of the process, so the ratio
// holds on a loaded machine) and wall time per step. OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE are unset and OPENBLAS_NUM_THREADS/OMP_NUM_THREADS/MKL_NUM_THREADS = 1 for PyTorch.
// Also the IWAE objective with k = 5 (five decoder passes per image). 8 short rounds per side: on a shared machine
// each side's best round is the closest to its unloaded speed, and the note gives the spread.
import { loadavg } from 'node:os';
import { createAdamOptimizer, createRng, MLP, ops, Tensor, variableGrads } from '@notes/core-linalg';
import { findPython, report, runPython } from '@notes/bench-kit';
import { vaeBounds } from '../src/vae/vae.js';

const D = 784;
const H = 400;
const L = 20;
const B = 100;
const ROUNDS = 8;
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
    const e = new Float64Array(k * B * L);
    for (let i = 0; i < e.length; i++) e[i] = rng.normal();
    const eps = new Tensor(e, [k, B, L]);
    const { value, grads } = variableGrads(() => {
      const r = vaeBounds(enc, dec, cfg, x, eps);
      return ops.neg(ops.mean(k === 1 ? r.elbo : r.iwae));
    }, params);
    adam.step(grads);
    return value;
  };
}

/** CPU and wall seconds per step over `n` steps. */
function measure(step: () => number, n: number): { cpu: number; wall: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) step();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6 / n, wall: (performance.now() - t0) / 1000 / n };
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
for _ in range(5): step()
n = inp["steps"]
c0, t0 = time.process_time(), time.perf_counter()
for _ in range(n): step()
print(json.dumps({"cpu": (time.process_time() - c0) / n, "wall": (time.perf_counter() - t0) / n, "threads": torch.get_num_threads()}))
`;

delete process.env.OPENBLAS_CORETYPE;
delete process.env.OPENBLAS_L2_SIZE;
// One thread for PyTorch for real: torch.set_num_threads(1) limits its OpenMP pool, but Debian's torch calls OpenBLAS,
// which starts its own threads (measured on an idle machine: PyTorch's CPU time 30 ms per step for 16 ms of wall time).
process.env.OPENBLAS_NUM_THREADS = '1';
process.env.OMP_NUM_THREADS = '1';
process.env.MKL_NUM_THREADS = '1';
const python = findPython(['torch']);
const rows = [];
const fmt = (v: number[]) => (Math.min(...v) === Math.max(...v) ? v[0]?.toFixed(2) : `${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)}`);
for (const k of [1, 5]) {
  const step = oursStep(k);
  const n = k === 1 ? 25 : 8;
  for (let i = 0; i < 5; i++) step();
  const ours: { cpu: number; wall: number }[] = [];
  const theirs: { cpu: number; wall: number }[] = [];
  const loads: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    loads.push(loadavg()[0] as number);
    // the same warm-up as each PyTorch round (5 unmeasured steps before the measured block): after the pause
    // while the other side runs, our first steps are slower (collector and caches), as a fresh process's are
    for (let i = 0; i < 5; i++) step();
    ours.push(measure(step, n));
    if (python) theirs.push(runPython<{ cpu: number; wall: number }>(python, SCRIPT, { x: xData, k, steps: n }));
  }
  const cpuRatios = theirs.map((t, i) => (ours[i] as { cpu: number }).cpu / t.cpu);
  const wallRatios = theirs.map((t, i) => (ours[i] as { wall: number }).wall / t.wall);
  const best = (a: { cpu: number }[]) => Math.min(...a.map((r) => r.cpu));
  const bestWall = (a: { wall: number }[]) => Math.min(...a.map((r) => r.wall));
  rows.push({
    name: `VAE training step ${D}-${H}-(2×${L}) batch ${B} float64, ${k === 1 ? 'ELBO' : `IWAE k = ${k}`} (CPU seconds, best of ${ROUNDS} rounds)`,
    seconds: best(ours),
    baseline: python ? best(theirs) : null,
    baselineName: 'PyTorch CPU float64 (1 thread)',
    note: python
      ? `best vs best: CPU ${(best(ours) / best(theirs)).toFixed(2)}×, wall ${(bestWall(ours) / bestWall(theirs)).toFixed(2)}× | ours/PyTorch per round: CPU ${fmt(cpuRatios)}×, wall ${fmt(wallRatios)}× | ours CPU ${fmt(ours.map((r) => 1000 * r.cpu))} ms, PyTorch CPU ${fmt(theirs.map((r) => 1000 * r.cpu))} ms | load ${fmt(loads)}`
      : `load ${fmt(loads)}`,
  });
}
report('@notes/latent VAE training step', rows);
