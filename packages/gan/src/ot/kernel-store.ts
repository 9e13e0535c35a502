/**
 * The n×m Sinkhorn kernel K (row stride `ld`) and the O(n·m) passes both Sinkhorn methods make over
 * it, on WebAssembly SIMD (`sinkhorn-wasm.ts`: two doubles per instruction, K and the vectors in one
 * per-problem memory) or in JavaScript. The iterations themselves (`sinkhorn-kernels.ts`,
 * `sinkhorn-log.ts`) are written once against this interface.
 * @internal
 */
import { expFdlibm } from './exp.js';
import { getSinkhornWasm, type SinkhornWasm } from './sinkhorn-wasm.js';

/** K with the passes over it. Vectors given to the passes must come from {@link KernelStore.vector}. */
export interface KernelStore {
  readonly n: number;
  readonly m: number;
  /** Row stride of K (≥ m; padding columns hold 0). */
  readonly ld: number;
  /** K, n rows of stride ld. */
  readonly K: Float64Array;
  /** A zeroed vector of length ld (at most as many as the store was created for). */
  vector(): Float64Array;
  /** K = e^{s·M} from the n rows of M (m entries each), and colsum[j] += Σ_i K_ij. */
  buildFromCost(rows: readonly Float64Array[], s: number, colsum: Float64Array): void;
  /** K_ij = e^{(f_i + g_j) + s·M_ij} (the log-stabilised kernel; f, g of lengths n, m). */
  buildShifted(rows: readonly Float64Array[], s: number, f: Float64Array, g: Float64Array): void;
  /**
   * The row half of a scaling iteration in one pass over K: u_i = a_i / (Kv)_i and out = Kᵀu.
   * Returns false (u, out incomplete) when some (Kv)_i is not in (floor, ∞).
   */
  rowUpdate(v: Float64Array, a: Float64Array, u: Float64Array, out: Float64Array, floor: number): boolean;
  /** out = Kᵀu. */
  mulTransposed(u: Float64Array, out: Float64Array): void;
}

/**
 * Smallest n·m that goes to WebAssembly: below it, creating the per-problem memory and instance costs
 * more than the SIMD loops save (measured crossover near 64×64).
 */
export const WASM_MIN_ENTRIES = 4096;

/**
 * Which kernels the stores use: 'auto' = WebAssembly SIMD when available and n·m ≥
 * {@link WASM_MIN_ENTRIES}, 'wasm' = whenever available (tests), 'js' = JavaScript.
 */
export type SinkhornBackend = 'auto' | 'wasm' | 'js';
let backend: SinkhornBackend = 'auto';

/** Selects the kernels of both Sinkhorn methods (tests run each); returns the previous choice. */
export function setSinkhornBackend(b: SinkhornBackend): SinkhornBackend {
  const prev = backend;
  backend = b;
  return prev;
}

/** A zeroed store for an n×m kernel with room for `vectors` vectors. */
export function createKernelStore(n: number, m: number, vectors: number): KernelStore {
  if (backend === 'wasm' || (backend === 'auto' && n * m >= WASM_MIN_ENTRIES)) {
    const ld = Math.ceil(m / 4) * 4;
    // K, the vectors, a scratch vector, a row of M and 8 partial sums
    const w = getSinkhornWasm(8 * ((n + vectors + 2) * ld + 8));
    if (w) return wasmStore(w, n, m, ld, vectors);
  }
  return jsStore(n, m);
}

function jsStore(n: number, m: number): KernelStore {
  const K = new Float64Array(n * m);
  return {
    n,
    m,
    ld: m,
    K,
    vector: () => new Float64Array(m),
    buildFromCost(rows, s, colsum) {
      for (let i = 0; i < n; i++) expRowJs(rows[i]!, s, K, i * m, colsum);
    },
    buildShifted(rows, s, f, g) {
      for (let i = 0; i < n; i++) expShiftedRowJs(rows[i]!, s, f[i]!, g, K, i * m);
    },
    rowUpdate: (v, a, u, out, floor) => rowUpdate(K, v, a, u, out, n, m, floor),
    mulTransposed: (u, out) => mulTransposed(K, u, n, m, out),
  };
}

/** K[off + j] = e^{s·row_j} and colsum[j] += it (a plain function: the sums stay in registers). */
function expRowJs(row: Float64Array, s: number, K: Float64Array, off: number, colsum: Float64Array): void {
  for (let j = 0; j < row.length; j++) {
    const kij = expFdlibm(row[j]! * s);
    K[off + j] = kij;
    colsum[j] = colsum[j]! + kij;
  }
}

/** K[off + j] = e^{(fi + g_j) + s·row_j}. */
function expShiftedRowJs(row: Float64Array, s: number, fi: number, g: Float64Array, K: Float64Array, off: number): void {
  for (let j = 0; j < row.length; j++) K[off + j] = expFdlibm(fi + g[j]! + row[j]! * s);
}

/** Memory layout: K (n·ld), then `vectors` vectors of ld, a scratch vector, a row (ld), 8 partial sums. */
function wasmStore(w: SinkhornWasm, n: number, m: number, ld: number, vectors: number): KernelStore {
  const buf = w.memory.buffer;
  const rowBytes = 8 * ld;
  const K = new Float64Array(buf, 0, n * ld);
  const vecBase = n * rowBytes;
  const scratchPtr = vecBase + vectors * rowBytes;
  const srcPtr = scratchPtr + rowBytes;
  const src = new Float64Array(buf, srcPtr, ld);
  const sumsPtr = srcPtr + rowBytes;
  const sums = new Float64Array(buf, sumsPtr, 8);
  let used = 0;
  /** Byte address of a vector made by `vector()`. */
  const addr = (x: Float64Array): number => {
    if (x.buffer !== buf || x.byteOffset < vecBase || x.byteOffset >= scratchPtr) {
      throw new RangeError('sinkhorn: internal error: a vector not made by this kernel store');
    }
    return x.byteOffset;
  };
  return {
    n,
    m,
    ld,
    K,
    vector() {
      if (used === vectors) throw new RangeError('sinkhorn: internal error: kernel store out of vectors');
      return new Float64Array(buf, vecBase + rowBytes * used++, ld);
    },
    buildFromCost(rows, s, colsum) {
      // padding columns: M = +∞ → e^{s·M} = 0 (s < 0)
      src.fill(Number.POSITIVE_INFINITY, m);
      const colPtr = addr(colsum);
      for (let i = 0; i < n; i++) {
        src.set(rows[i]!);
        w.expRow(srcPtr, i * rowBytes, srcPtr + rowBytes, s, colPtr);
      }
    },
    buildShifted(rows, s, f, g) {
      // the exponent (f_i + g_j) + s·M_ij is formed here and exponentiated with scale 1; padding −∞ → 0
      src.fill(Number.NEGATIVE_INFINITY, m);
      for (let i = 0; i < n; i++) {
        shiftedExponents(rows[i]!, s, f[i]!, g, src);
        w.expRow(srcPtr, i * rowBytes, srcPtr + rowBytes, 1, scratchPtr);
      }
    },
    rowUpdate(v, a, u, out, floor) {
      const vPtr = addr(v);
      const outPtr = addr(out);
      out.fill(0);
      let i = 0;
      for (; i + 3 < n; i += 4) {
        const k = i * rowBytes;
        w.dot4(k, rowBytes, vPtr, vPtr + rowBytes, sumsPtr);
        if (!scaleFour(a, u, i, sums[0]! + sums[1]!, sums[2]! + sums[3]!, sums[4]! + sums[5]!, sums[6]! + sums[7]!, floor)) {
          return false;
        }
        w.axpy4(k, rowBytes, u[i]!, u[i + 1]!, u[i + 2]!, u[i + 3]!, outPtr, outPtr + rowBytes);
      }
      return rowUpdateTail(K, ld, m, v, a, u, out, i, n, floor);
    },
    mulTransposed(u, out) {
      const outPtr = addr(out);
      out.fill(0);
      let i = 0;
      for (; i + 3 < n; i += 4) w.axpy4(i * rowBytes, rowBytes, u[i]!, u[i + 1]!, u[i + 2]!, u[i + 3]!, outPtr, outPtr + rowBytes);
      for (; i < n; i++) addRow(K, i * ld, m, u[i]!, out);
    },
  };
}

/** out = Kᵀu for row-major K (n×m), four rows per sweep over out. */
function mulTransposed(K: Float64Array, u: Float64Array, n: number, m: number, out: Float64Array): void {
  out.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) addFourRows(K, i * m, m, u[i]!, u[i + 1]!, u[i + 2]!, u[i + 3]!, out);
  for (; i < n; i++) addRow(K, i * m, m, u[i]!, out);
}

/**
 * The row half of a scaling iteration in one pass over K: u_i = a_i / (Kv)_i for every row and
 * out = Kᵀu. Rows go four at a time — their four dot products share the loads of v, then one sweep adds
 * all four scaled rows into out — so out is read and written once per four rows, not once per row.
 * Returns false (u, out incomplete) when some (Kv)_i is not in (floor, ∞).
 */
function rowUpdate(
  K: Float64Array,
  v: Float64Array,
  a: Float64Array,
  u: Float64Array,
  out: Float64Array,
  n: number,
  m: number,
  floor: number,
): boolean {
  out.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < m; j++) {
      const vj = v[j]!;
      s0 += K[o0 + j]! * vj;
      s1 += K[o1 + j]! * vj;
      s2 += K[o2 + j]! * vj;
      s3 += K[o3 + j]! * vj;
    }
    if (!scaleFour(a, u, i, s0, s1, s2, s3, floor)) return false;
    addFourRows(K, o0, m, u[i]!, u[i + 1]!, u[i + 2]!, u[i + 3]!, out);
  }
  return rowUpdateTail(K, m, m, v, a, u, out, i, n, floor);
}

const inRange = (s: number, floor: number) => s > floor && s !== Number.POSITIVE_INFINITY;

/** u_{i+r} = a_{i+r} / s_r for r = 0…3, or false (u untouched) when some s_r is not in (floor, ∞). */
function scaleFour(a: Float64Array, u: Float64Array, i: number, s0: number, s1: number, s2: number, s3: number, floor: number): boolean {
  if (!(inRange(s0, floor) && inRange(s1, floor) && inRange(s2, floor) && inRange(s3, floor))) return false;
  u[i] = a[i]! / s0;
  u[i + 1] = a[i + 1]! / s1;
  u[i + 2] = a[i + 2]! / s2;
  u[i + 3] = a[i + 3]! / s3;
  return true;
}

/** Rows from … n−1 of a row update one at a time (K with stride ld): u_i = a_i / (Kv)_i, out += u_i K_i. */
function rowUpdateTail(
  K: Float64Array,
  ld: number,
  m: number,
  v: Float64Array,
  a: Float64Array,
  u: Float64Array,
  out: Float64Array,
  from: number,
  n: number,
  floor: number,
): boolean {
  for (let i = from; i < n; i++) {
    const off = i * ld;
    let si = 0;
    for (let j = 0; j < m; j++) si += K[off + j]! * v[j]!;
    if (!inRange(si, floor)) return false;
    const ui = a[i]! / si;
    u[i] = ui;
    addRow(K, off, m, ui, out);
  }
  return true;
}

/** out[j] = (fi + g_j) + s·row_j. */
function shiftedExponents(row: Float64Array, s: number, fi: number, g: Float64Array, out: Float64Array): void {
  for (let j = 0; j < row.length; j++) out[j] = fi + g[j]! + row[j]! * s;
}

/** out[j] += u0·K[o0 + j] + … + u3·K[o0 + 3m + j] (four consecutive rows from offset o0). */
function addFourRows(
  K: Float64Array,
  o0: number,
  m: number,
  u0: number,
  u1: number,
  u2: number,
  u3: number,
  out: Float64Array,
): void {
  const o1 = o0 + m;
  const o2 = o1 + m;
  const o3 = o2 + m;
  for (let j = 0; j < m; j++) out[j] = out[j]! + (K[o0 + j]! * u0 + K[o1 + j]! * u1 + (K[o2 + j]! * u2 + K[o3 + j]! * u3));
}

/** out[j] += α·K[off + j]. */
function addRow(K: Float64Array, off: number, m: number, alpha: number, out: Float64Array): void {
  for (let j = 0; j < m; j++) out[j] = out[j]! + alpha * K[off + j]!;
}
