/**
 * Run by `fma-child.test.ts` in a child `node --experimental-wasm-relaxed-simd --import tsx` process (Node 20
 * compiles relaxed SIMD only with that flag; the library never sets V8 flags itself): the relaxed-SIMD FMA
 * variant of the macro-kernels against the plain SIMD variant in the same process (`setWasmFma('off')`), for the
 * GEMM (all transposes, β = 0 and 1, C in two chunks), `potrf`/`potri` on the GEMM, `ResidentCholesky`
 * (factor, solve, inverse) and `LowerInverseRows`. Writes JSON to the file named by its first argument: whether FMA
 * was active, and per check the normwise relative difference max|x_fma − x_plain| / max|x_plain| and how many entries differ in their bits.
 * @internal
 */
import { writeFileSync } from 'node:fs';
import { gemmStrided } from '../linalg/gemm.js';
import { randomArray } from '../linalg/test-helpers.js';
import { relaxedSimdSupported, setWasmFma, wasmFmaActive } from '../linalg/wasm-kernel.js';
import { potrf, potri, ResidentCholesky } from './index.js';
import { LowerInverseRows } from './lower-inverse-rows.js';
import { spd } from './spd.testutil.js';

interface Check {
  name: string;
  rel: number;
  differing: number;
  entries: number;
}

const checks: Check[] = [];

/** Runs `f` with the FMA variant and with the plain one and records how far apart the results are. */
function compare(name: string, f: () => Float64Array): void {
  setWasmFma('auto');
  const a = f();
  setWasmFma('off');
  const b = f();
  setWasmFma('auto');
  let diff = 0;
  let scale = 0;
  let differing = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
    if (!Object.is(a[i], b[i])) differing++;
  }
  checks.push({ name, rel: diff / scale, differing, entries: a.length });
}

const fma = relaxedSimdSupported() && wasmFmaActive();

for (const [m, n, k] of [[37, 53, 41], [130, 7, 259], [300, 300, 300], [2300, 1000, 8]] as const) {
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    for (const beta of [0, 1] as const) {
      compare(`gemm ${m}×${k}·${k}×${n} transA ${ta} transB ${tb} β ${beta}`, () => {
        const a = randomArray(m * k, m + k);
        const b = randomArray(k * n, n + k);
        const c = randomArray(m * n, m + n);
        gemmStrided(m, n, k, -0.75, { data: a, off: 0, ld: ta ? m : k, trans: ta }, { data: b, off: 0, ld: tb ? k : n, trans: tb }, c, 0, n, beta);
        return c;
      });
    }
  }
}

for (const n of [97, 301, 530]) {
  const A = spd(n, n);
  compare(`potrf n = ${n}`, () => {
    const L = A.slice();
    if (potrf(L, n) !== -1) throw new Error('potrf failed');
    return L;
  });
  compare(`potri n = ${n}`, () => {
    const L = A.slice();
    potrf(L, n);
    return potri(L, n);
  });
  compare(`ResidentCholesky factor, solve, inverse n = ${n}`, () => {
    const r = ResidentCholesky.create(n) as ResidentCholesky;
    r.load(A, n);
    if (r.factor() !== -1) throw new Error('factor failed');
    const L = new Float64Array(n * n);
    r.copyLower(L, n);
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    r.solve(x);
    r.invert();
    const inv = new Float64Array(n * n);
    r.copyLower(inv, n);
    const out = new Float64Array(2 * n * n + n);
    out.set(L);
    out.set(inv, n * n);
    out.set(x, 2 * n * n);
    return out;
  });
  compare(`LowerInverseRows n = ${n}, 500 rows`, () => {
    const L = A.slice();
    potrf(L, n);
    const K = randomArray(500 * n, 3 * n);
    const out = new Float64Array(500);
    new LowerInverseRows(L, n).sumSquares(K, 500, out);
    return out;
  });
}

writeFileSync(process.argv[2] as string, JSON.stringify({ fma, checks }));
