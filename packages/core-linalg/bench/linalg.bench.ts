// Benchmarks of the linalg kernels against ml-matrix (the project's matrix library) and a plain
// i-k-j Float64Array loop, measured in the same run; NumPy/SciPy column when Python is present.
// Run: npx pnpm@10.34.8 bench (from packages/core-linalg).
import { cpuTime, findPython, report, runPython, time } from '@notes/bench-kit';
import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { setGemmBackend } from '../src/linalg/gemm.js';
import { cholesky, matmul, matmulTransA, matmulTransB } from '../src/linalg/index.js';

function lcgArray(n: number, seed: number): Float64Array {
  let s = seed + 1;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    a[i] = s / 2147483647 - 0.5;
  }
  return a;
}

function ikj(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j]!;
    }
  }
  return c;
}

const python = findPython(['numpy', 'scipy']);

// --- matmul 512×512 ---------------------------------------------------------------------------
{
  const N = 512;
  const a = lcgArray(N * N, 1);
  const b = lcgArray(N * N, 2);
  const A = Matrix.from1DArray(N, N, a);
  const B = Matrix.from1DArray(N, N, b);
  const out = new Float64Array(N * N);
  const ours = time(() => matmul(a, b, N, N, N, out), { minMs: 1500 });
  const tA = time(() => matmulTransA(a, b, N, N, N, out), { minMs: 1000 });
  const tB = time(() => matmulTransB(a, b, N, N, N, out), { minMs: 1000 });
  setGemmBackend('js');
  const oursJs = time(() => matmul(a, b, N, N, N, out), { minMs: 1500 });
  const kernel = setGemmBackend('auto');
  const ml = time(() => A.mmul(B), { minMs: 1500, minRuns: 3 });
  const loop = time(() => ikj(a, b, N, N, N), { minMs: 1500 });
  const gflops = (s: number) => `${((2 * N ** 3) / s / 1e9).toFixed(2)} GFLOP/s`;
  let np: number | null = null;
  if (python) {
    np = runPython<{ seconds: number }>(
      python,
      `import json,sys,time,numpy as np
n=512;a=np.random.rand(n,n);b=np.random.rand(n,n);a@b
ts=[]
for _ in range(20):
  t=time.perf_counter();a@b;ts.append(time.perf_counter()-t)
ts.sort();print(json.dumps({"seconds":ts[len(ts)//2]}))`,
    ).seconds;
  }
  const cpuOurs = cpuTime(() => matmul(a, b, N, N, N, out), 15);
  setGemmBackend('js');
  const cpuJs = cpuTime(() => matmul(a, b, N, N, N, out), 7);
  setGemmBackend('auto');
  const cpuMl = cpuTime(() => A.mmul(B), 3);
  const cpuLoop = cpuTime(() => ikj(a, b, N, N, N), 5);
  report(`matmul ${N}×${N}·${N}×${N}, CPU time (default micro-kernel: ${kernel})`, [
    { name: 'matmul', seconds: cpuOurs, baseline: cpuMl, baselineName: 'ml-matrix mmul', note: gflops(cpuOurs) },
    { name: 'matmul', seconds: cpuOurs, baseline: cpuLoop, baselineName: 'plain i-k-j loop', note: `loop ${gflops(cpuLoop)}` },
    { name: 'matmul', seconds: cpuOurs, baseline: cpuJs, baselineName: 'JavaScript micro-kernel', note: `JS ${gflops(cpuJs)}` },
    { name: 'matmul (JavaScript micro-kernel)', seconds: cpuJs, baseline: cpuMl, baselineName: 'ml-matrix mmul' },
  ]);
  report(`matmul ${N}×${N}·${N}×${N}, wall clock (default micro-kernel: ${kernel})`, [
    { name: 'matmul', seconds: ours, baseline: ml, baselineName: 'ml-matrix mmul', note: gflops(ours) },
    { name: 'matmul', seconds: ours, baseline: oursJs, baselineName: 'same blocking, JavaScript micro-kernel', note: `JS kernel ${gflops(oursJs)}` },
    { name: 'matmul (JavaScript micro-kernel)', seconds: oursJs, baseline: ml, baselineName: 'ml-matrix mmul' },
    { name: 'matmul', seconds: ours, baseline: loop, baselineName: 'plain i-k-j loop', note: `loop ${gflops(loop)}` },
    { name: 'matmulTransA', seconds: tA, baseline: ml, baselineName: 'ml-matrix mmul', note: gflops(tA) },
    { name: 'matmulTransB', seconds: tB, baseline: ml, baselineName: 'ml-matrix mmul', note: gflops(tB) },
    {
      name: 'matmul',
      seconds: ours,
      baseline: np,
      baselineName: 'NumPy a@b (BLAS)',
      note: np ? `NumPy is ${(ours / np).toFixed(1)}× faster` : undefined,
    },
  ]);
}

// --- Cholesky n=1000 -------------------------------------------------------------------------
{
  const N = 1000;
  const g = Matrix.from1DArray(N, N, lcgArray(N * N, 3));
  const S = g.mmul(g.transpose());
  for (let i = 0; i < N; i++) S.set(i, i, S.get(i, i) + N);
  const ours = time(() => cholesky(S), { minMs: 2000 });
  const ml = time(() => new CholeskyDecomposition(S), { minMs: 2000, minRuns: 3 });
  let sp: number | null = null;
  if (python) {
    sp = runPython<{ seconds: number }>(
      python,
      `import json,time,numpy as np,scipy.linalg as sl
n=1000;g=np.random.rand(n,n)-0.5;S=g@g.T+n*np.eye(n);sl.cholesky(S,lower=True)
ts=[]
for _ in range(10):
  t=time.perf_counter();sl.cholesky(S,lower=True);ts.append(time.perf_counter()-t)
ts.sort();print(json.dumps({"seconds":ts[len(ts)//2]}))`,
    ).seconds;
  }
  setGemmBackend('js');
  const oursJs = time(() => cholesky(S), { minMs: 2000 });
  const cpuJs = cpuTime(() => cholesky(S), 5);
  setGemmBackend('auto');
  const cpuOurs = cpuTime(() => cholesky(S), 9);
  const cpuMl = cpuTime(() => new CholeskyDecomposition(S), 3);
  report(`cholesky n=${N}, CPU time`, [
    { name: 'cholesky', seconds: cpuOurs, baseline: cpuMl, baselineName: 'ml-matrix CholeskyDecomposition' },
    { name: 'cholesky (JavaScript micro-kernel)', seconds: cpuJs, baseline: cpuMl, baselineName: 'ml-matrix CholeskyDecomposition' },
  ]);
  report(`cholesky n=${N} (includes validation, symmetry check and copy)`, [
    { name: 'cholesky', seconds: ours, baseline: ml, baselineName: 'ml-matrix CholeskyDecomposition' },
    { name: 'cholesky (JavaScript micro-kernel)', seconds: oursJs, baseline: ml, baselineName: 'ml-matrix CholeskyDecomposition' },
    {
      name: 'cholesky',
      seconds: ours,
      baseline: sp,
      baselineName: 'scipy.linalg.cholesky (LAPACK)',
      note: sp ? `SciPy is ${(ours / sp).toFixed(1)}× faster` : undefined,
    },
  ]);
}

// --- inverse of an SPD matrix, n=500 -----------------------------------------------------------
{
  const N = 500;
  const g = Matrix.from1DArray(N, N, lcgArray(N * N, 4));
  const S = g.mmul(g.transpose());
  for (let i = 0; i < N; i++) S.set(i, i, S.get(i, i) + N);
  const f = cholesky(S);
  const ours = time(() => f.inverse(), { minMs: 1500 });
  const ml = time(() => inverse(S), { minMs: 1500, minRuns: 3 });
  const cpuOurs = cpuTime(() => f.inverse(), 7);
  const cpuMl = cpuTime(() => inverse(S), 3);
  report(`SPD inverse n=${N} from an existing factor (blocked triangular solves on GEMM)`, [
    { name: 'CholeskyFactor.inverse (wall)', seconds: ours, baseline: ml, baselineName: 'ml-matrix inverse (LU)' },
    { name: 'CholeskyFactor.inverse (CPU)', seconds: cpuOurs, baseline: cpuMl, baselineName: 'ml-matrix inverse (LU)' },
  ]);
}
