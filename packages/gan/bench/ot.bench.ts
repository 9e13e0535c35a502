// Optimal-transport benchmarks against POT (Debian python3-pot) on the same data, measured in the same
// run: emd 500×500, Sinkhorn (standard and log-domain) 500×500 and 2000×2000.
// Goals (issue 8): standard Sinkhorn within 2× of POT, emd within 3×; the log-domain ratio is reported.
// Run: npx pnpm@10.34.8 bench (from packages/gan).
import { findPython, report, runPython, time } from '@notes/bench-kit';
import { createRng } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { costMatrix, emd, sinkhorn } from '../src/index.js';

interface Problem {
  x: number[][];
  y: number[][];
  a: number[];
  b: number[];
  M: Matrix;
}

function problem(n: number, seed: number): Problem {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
  const y = Array.from({ length: n }, () => [rng.normal() + 1, rng.normal() * 0.8]);
  const wa = Array.from({ length: n }, () => 0.2 + rng.uniform());
  const wb = Array.from({ length: n }, () => 0.2 + rng.uniform());
  const sa = wa.reduce((s, v) => s + v, 0);
  const sb = wb.reduce((s, v) => s + v, 0);
  const M = costMatrix(x, y);
  return { x, y, a: wa.map((v) => v / sa), b: wb.map((v) => v / sb), M: M.div(M.max()) };
}

const POT_SCRIPT = `import json, sys, time, warnings
import numpy as np, ot
d = json.load(sys.stdin)
x = np.array(d["x"]); y = np.array(d["y"]); a = np.array(d["a"]); b = np.array(d["b"])
M = ot.dist(x, y); M /= M.max()
def med(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); r = f(); ts.append(time.perf_counter() - t)
    ts.sort(); return ts[len(ts) // 2], float(r)
out = {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    if d["emd"]:
        out["emd"] = med(lambda: ot.emd2(a, b, M, numItermax=10**8), d["reps"])
    for method in ["sinkhorn", "sinkhorn_log"]:
        out[method] = med(lambda: ot.sinkhorn2(a, b, M, d["reg"], method=method, numItermax=d["maxIter"], stopThr=1e-9), d["reps"])
print(json.dumps(out))`;

const python = findPython(['numpy', 'ot']);
const REG = 0.05;
const MAX_ITER = 1000;

for (const [n, withEmd, reps] of [
  [500, true, 7],
  [2000, false, 3],
] as const) {
  const P = problem(n, n);
  const ref = python
    ? runPython<Record<string, [number, number]>>(python, POT_SCRIPT, {
        x: P.x,
        y: P.y,
        a: P.a,
        b: P.b,
        reg: REG,
        maxIter: MAX_ITER,
        emd: withEmd,
        reps,
      })
    : null;
  const rows = [];
  if (withEmd) {
    const res = emd(P.a, P.b, P.M);
    const t = time(() => emd(P.a, P.b, P.M), { minMs: 1500 });
    rows.push({
      name: `emd ${n}×${n}`,
      seconds: t,
      baseline: ref ? ref.emd![0] : null,
      baselineName: 'POT emd2',
      note: `cost ${res.cost.toFixed(12)}${ref ? ` (POT ${ref.emd![1].toFixed(12)})` : ''}, ${res.iterations} pivots`,
    });
  }
  for (const [method, potName] of [
    ['standard', 'sinkhorn'],
    ['log', 'sinkhorn_log'],
  ] as const) {
    const opts = { reg: REG, method, tol: 1e-9, maxIterations: MAX_ITER };
    const res = sinkhorn(P.a, P.b, P.M, opts);
    const t = time(() => sinkhorn(P.a, P.b, P.M, opts), { minMs: n > 1000 ? 3000 : 1500, minRuns: 3 });
    rows.push({
      name: `sinkhorn ${method} ${n}×${n} (reg ${REG})`,
      seconds: t,
      baseline: ref ? ref[potName]![0] : null,
      baselineName: `POT sinkhorn2 method='${potName}'`,
      note: `cost ${res.cost.toFixed(12)}${ref ? ` (POT ${ref[potName]![1].toFixed(12)})` : ''}, ${res.iterations} iterations${res.converged ? '' : ' (not converged)'}`,
    });
  }
  report(`optimal transport ${n}×${n} (speed-up > 1: ours faster; ratio = POT time / ours)`, rows);
}
