// Benchmarks of the optimisers: L-BFGS on Rosenbrock against SciPy's L-BFGS-B (same run, when Python
// is present) and against plain gradient descent with a backtracking line search (same run).
// Run: npx pnpm@10.34.8 bench (from packages/core-linalg).
import { findPython, report, runPython, time } from '@notes/bench-kit';
import { minimizeLBFGS } from '../src/optim/index.js';

function rosenbrock(x: Float64Array): { value: number; gradient: Float64Array } {
  const g = new Float64Array(x.length);
  let f = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1]! - x[i]! ** 2;
    f += 100 * a * a + (1 - x[i]!) ** 2;
    g[i]! += -400 * x[i]! * a - 2 * (1 - x[i]!);
    g[i + 1]! += 200 * a;
  }
  return { value: f, gradient: g };
}

const start = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));

/** Steepest descent with Armijo backtracking: the baseline L-BFGS should beat. */
function gradientDescent(n: number, maxIterations: number): { iterations: number; value: number } {
  const x = Float64Array.from(start(n));
  let { value, gradient } = rosenbrock(x);
  let it = 0;
  for (; it < maxIterations; it++) {
    let gg = 0;
    for (const v of gradient) gg += v * v;
    if (Math.sqrt(gg) < 1e-6) break;
    let t = 1;
    for (;;) {
      const y = x.map((v, i) => v - t * gradient[i]!);
      const r = rosenbrock(y);
      if (r.value <= value - 1e-4 * t * gg || t < 1e-20) {
        x.set(y);
        value = r.value;
        gradient = r.gradient;
        break;
      }
      t *= 0.5;
    }
  }
  return { iterations: it, value };
}

const python = findPython(['scipy']);
const rows = [];
for (const n of [2, 100, 1000]) {
  const res = minimizeLBFGS(rosenbrock, start(n), { maxIterations: 10000 });
  const ours = time(() => minimizeLBFGS(rosenbrock, start(n), { maxIterations: 10000 }), { minMs: 500 });
  let sp: { seconds: number; nit: number; fun: number } | null = null;
  if (python) {
    sp = runPython(
      python,
      `import json,sys,time,numpy as np
from scipy.optimize import minimize,rosen,rosen_der
n=${n};x0=np.array([-1.2 if i%2==0 else 1.0 for i in range(n)])
fg=lambda x:(rosen(x),rosen_der(x))
ts=[]
for _ in range(5):
  t=time.perf_counter();r=minimize(fg,x0,jac=True,method='L-BFGS-B',options={'gtol':1e-8,'ftol':1e-15,'maxiter':10000});ts.append(time.perf_counter()-t)
ts.sort();print(json.dumps({"seconds":ts[2],"nit":int(r.nit),"fun":float(r.fun)}))`,
    );
  }
  rows.push({
    name: `minimizeLBFGS Rosenbrock n=${n} (${res.report.iterations} it, f=${res.value.toExponential(1)})`,
    seconds: ours,
    baseline: sp ? sp.seconds : null,
    baselineName: sp ? `SciPy L-BFGS-B (${sp.nit} it, f=${sp.fun.toExponential(1)})` : 'SciPy L-BFGS-B',
  });
}
{
  const n = 100;
  const t0 = performance.now();
  const gd = gradientDescent(n, 200000);
  const gdSeconds = (performance.now() - t0) / 1000;
  const ours = time(() => minimizeLBFGS(rosenbrock, start(n), { maxIterations: 10000 }), { minMs: 300 });
  rows.push({
    name: `minimizeLBFGS Rosenbrock n=${n}`,
    seconds: ours,
    baseline: gdSeconds,
    baselineName: `gradient descent + backtracking (${gd.iterations} it to ‖g‖<1e-6, f=${gd.value.toExponential(1)})`,
  });
}
report('L-BFGS (strong-Wolfe) on Rosenbrock', rows);
