// Benchmarks of the raw kernel tier (@notes/core-linalg/kernels) against ml-matrix, plain unblocked
// loops (what packages wrote before, e.g. gp's triangular inverse) and the checked API, measured in the
// same run; SciPy's LAPACK (dpotrf, dpotri, dtrtri) column when Python is present.
// Run: pnpm bench (from packages/core-linalg), or npx tsx bench/kernels.bench.ts.
import { findPython, report, runPython, time } from '@notes/bench-kit';
import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';
import { potrf, potri, potrs, trtriLower } from '../src/kernels/index.js';
import { cholesky } from '../src/linalg/index.js';

function spd(n: number, seed: number): Float64Array {
  let s = seed + 1;
  const B = new Float64Array(n * n);
  for (let i = 0; i < B.length; i++) {
    s = (s * 16807) % 2147483647;
    B[i] = s / 2147483647 - 0.5;
  }
  // A = B Bᵀ / n + I via the kernels' own GEMM would bias the bench; a plain loop is fine (setup only)
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let t = 0;
      for (let k = 0; k < n; k++) t += B[i * n + k]! * B[j * n + k]!;
      A[i * n + j] = t / n + (i === j ? 1 : 0);
      A[j * n + i] = A[i * n + j]!;
    }
  return A;
}

/** Unblocked lower-triangular inverse (column by column), the pre-kernel code path of gp. */
function naiveTrtri(L: Float64Array, n: number): Float64Array {
  const W = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    W[c * n + c] = 1 / L[c * n + c]!;
    for (let r = c + 1; r < n; r++) {
      let s = 0;
      for (let p = c; p < r; p++) s += L[r * n + p]! * W[p * n + c]!;
      W[r * n + c] = -s / L[r * n + r]!;
    }
  }
  return W;
}

const python = findPython(['numpy', 'scipy']);
const rows = (a: Float64Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));

for (const n of [250, 1000]) {
  const A = spd(n, n);
  const L = A.slice();
  potrf(L, n);
  const Am = new Matrix(rows(A, n));
  const Lm = new Matrix(rows(L, n));
  const minMs = n > 500 ? 1500 : 600;
  const tPotrf = time(() => potrf(A.slice(), n), { minMs });
  const tChecked = time(() => cholesky(Am), { minMs, minRuns: 3 });
  const tMlChol = time(() => new CholeskyDecomposition(Am), { minMs, minRuns: 2 });
  const tTrtri = time(() => trtriLower(L.slice(), n), { minMs });
  const tNaiveTrtri = time(() => naiveTrtri(L, n), { minMs, minRuns: 2 });
  const tMlTrInv = time(() => inverse(Lm), { minMs: 0, minRuns: 1, warmup: 0 });
  const tPotri = time(() => potri(L.slice(), n), { minMs });
  const tMlInv = time(() => inverse(Am), { minMs: 0, minRuns: 1, warmup: 0 });
  const B = spd(n, 7).subarray(0, n * 10).slice();
  const tPotrs = time(() => potrs(L, n, B.slice(), 10), { minMs });
  const tMlSolve = time(() => new CholeskyDecomposition(Am).solve(Matrix.from1DArray(n, 10, B)), { minMs, minRuns: 2 });
  let sp: { potrf: number; potri: number; trtri: number } | null = null;
  if (python) {
    sp = runPython<{ potrf: number; potri: number; trtri: number }>(
      python,
      `import json,sys,time,numpy as np
from scipy.linalg import lapack
d=json.load(sys.stdin);n=d["n"]
a=np.array(d["A"]).reshape(n,n)
def med(f):
  ts=[]
  for _ in range(7):
    t=time.perf_counter();f();ts.append(time.perf_counter()-t)
  ts.sort();return ts[len(ts)//2]
c,_=lapack.dpotrf(a,lower=1)
print(json.dumps({"potrf":med(lambda: lapack.dpotrf(a,lower=1)),"potri":med(lambda: lapack.dpotri(c,lower=1)),"trtri":med(lambda: lapack.dtrtri(c,lower=1))}))`,
      { n, A: Array.from(A) },
    );
  }
  report(`raw kernels, n = ${n} (ratio = reference time / kernel time)`, [
    { name: 'potrf (Cholesky in place)', seconds: tPotrf, baseline: tMlChol, baselineName: 'ml-matrix CholeskyDecomposition' },
    { name: 'potrf vs checked cholesky(Matrix)', seconds: tPotrf, baseline: tChecked, baselineName: 'checked cholesky' },
    ...(sp ? [{ name: 'potrf vs SciPy dpotrf', seconds: tPotrf, baseline: sp.potrf, baselineName: 'SciPy/OpenBLAS' }] : []),
    { name: 'trtriLower (L⁻¹ in place)', seconds: tTrtri, baseline: tNaiveTrtri, baselineName: 'unblocked loop (gp before)' },
    { name: 'trtriLower vs ml-matrix inverse(L)', seconds: tTrtri, baseline: tMlTrInv, baselineName: 'ml-matrix inverse' },
    ...(sp ? [{ name: 'trtriLower vs SciPy dtrtri', seconds: tTrtri, baseline: sp.trtri, baselineName: 'SciPy/OpenBLAS' }] : []),
    { name: 'potri (A⁻¹ from L)', seconds: tPotri, baseline: tMlInv, baselineName: 'ml-matrix inverse(A)' },
    ...(sp ? [{ name: 'potri vs SciPy dpotri', seconds: tPotri, baseline: sp.potri, baselineName: 'SciPy/OpenBLAS' }] : []),
    { name: 'potrs (10 right-hand sides, given L)', seconds: tPotrs, baseline: tMlSolve, baselineName: 'ml-matrix Cholesky + solve' },
  ]);
}
