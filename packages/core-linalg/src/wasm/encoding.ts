/**
 * The WebAssembly binary encoding needed to assemble small compute kernels in source (no binary file,
 * native build or dependency): LEB128 integers, constants, sections, names, function bodies and a
 * module of functions over one linear memory. Used by core's GEMM micro-kernel and by the kernels of
 * other @notes packages (Sinkhorn, Gaussian mixtures). Reference: *WebAssembly Core Specification* 2.0,
 * §5 (binary format); SIMD opcodes as in the fixed-width SIMD proposal's `BinarySIMD.md`.
 */

/** Value-type bytes. */
export const WasmType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/**
 * Unsigned LEB128 of a non-negative integer below 2^32.
 * @example uleb128(624485) // [0xe5, 0x8e, 0x26]
 */
export function uleb128(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`uleb128: expected an integer in [0, 2^32), got ${n}`);
  const out: number[] = [];
  let x = n;
  do {
    let byte = x % 128;
    x = Math.floor(x / 128);
    if (x !== 0) byte |= 0x80;
    out.push(byte);
  } while (x !== 0);
  return out;
}

/**
 * Signed LEB128 of an integer in the i32 range (as `i32.const` immediates need).
 * @example sleb128(-123456) // [0xc0, 0xbb, 0x78]
 */
export function sleb128(n: number): number[] {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) {
    throw new RangeError(`sleb128: expected an integer in the i32 range, got ${n}`);
  }
  const out: number[] = [];
  let x = n;
  for (;;) {
    const byte = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (byte & 0x40) === 0) || (x === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** The 8 little-endian bytes of a double (an `f64.const` immediate, or half of a `v128.const`). */
export function f64Bytes(x: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  return Array.from(new Uint8Array(view.buffer));
}

/** The 8 little-endian bytes of the i64 with 32-bit halves `lo`, `hi` (unsigned). */
export function i64Bytes(lo: number, hi: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, lo, true);
  view.setUint32(4, hi, true);
  return Array.from(new Uint8Array(view.buffer));
}

/** A name: its UTF-8 length then its bytes (ASCII names only). */
export function wasmName(s: string): number[] {
  const bytes = Array.from(s, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0x7f) throw new RangeError(`wasmName: only ASCII names, got ${JSON.stringify(s)}`);
    return code;
  });
  return [...uleb128(bytes.length), ...bytes];
}

/** A section: id, byte size, body. */
export function wasmSection(id: number, body: readonly number[]): number[] {
  return [id, ...uleb128(body.length), ...body];
}

/** One function of {@link assembleModule}: exported under `name`, no results. */
export interface WasmFunction {
  name: string;
  /** Parameter types ({@link WasmType}). */
  params: readonly number[];
  /** Local declarations after the parameters: [count, type] runs. */
  locals: readonly (readonly [number, number])[];
  /** The instructions, without the final `end`. */
  code: readonly number[];
}

/**
 * A module of result-less functions over one linear memory: either imported as `env.mem` (the caller
 * supplies a `WebAssembly.Memory` per instance) or defined with `pages` initial 64 KiB pages and
 * exported as `mem`. Each function gets its own type and is exported under its name.
 */
export function assembleModule(
  functions: readonly WasmFunction[],
  memory: { kind: 'import' } | { kind: 'export'; pages: number },
): Uint8Array<ArrayBuffer> {
  const types = functions.flatMap((f) => [0x60, ...uleb128(f.params.length), ...f.params, 0]);
  const bodies = functions.flatMap((f) => {
    const decl = [...uleb128(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb128(count), type])];
    const body = [...decl, ...f.code, 0x0b];
    return [...uleb128(body.length), ...body];
  });
  const exports = functions.flatMap((f, i) => [...wasmName(f.name), 0x00, ...uleb128(i)]);
  const count = uleb128(functions.length);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...wasmSection(1, [...count, ...types]),
    ...(memory.kind === 'import' ? wasmSection(2, [1, ...wasmName('env'), ...wasmName('mem'), 0x02, 0x00, 0x00]) : []),
    ...wasmSection(3, [...count, ...functions.flatMap((_, i) => uleb128(i))]),
    ...(memory.kind === 'export' ? wasmSection(5, [1, 0x00, ...uleb128(memory.pages)]) : []),
    ...wasmSection(7, [
      ...uleb128(functions.length + (memory.kind === 'export' ? 1 : 0)),
      ...(memory.kind === 'export' ? [...wasmName('mem'), 0x02, 0] : []),
      ...exports,
    ]),
    ...wasmSection(10, [...count, ...bodies]),
  ];
  return new Uint8Array(bytes);
}

/**
 * Assembles the functions `build()` returns over an exported memory of `pages` 64 KiB pages and instantiates the
 * module (no imports). Returns its exports (`mem` and each function by name), or null when WebAssembly is missing,
 * the bytes do not validate (e.g. no SIMD) or anything throws: the caller then runs its JavaScript version.
 * @internal shared by core's raw kernels (`kernels/exp.ts`, `kernels/lower-inverse-rows.ts`); not part of the
 * `@notes/core-linalg/wasm` entry.
 */
export function instantiateKernel<E extends object>(build: () => readonly WasmFunction[], pages: number): ({ mem: WebAssembly.Memory } & E) | null {
  try {
    const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!wa) return null;
    const bytes = assembleModule(build(), { kind: 'export', pages });
    if (!wa.validate(bytes)) return null;
    return new wa.Instance(new wa.Module(bytes), {}).exports as { mem: WebAssembly.Memory } & E;
  } catch {
    return null;
  }
}

/**
 * Whether this runtime can compile WebAssembly with the fixed-width SIMD proposal (validates a
 * one-instruction SIMD function).
 */
export function wasmSimdSupported(): boolean {
  const wa = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (!wa) return false;
  try {
    // f64x2.splat of f64.const 0, then drop
    const code = [0x44, ...f64Bytes(0), 0xfd, 0x14, 0x1a];
    return wa.validate(assembleModule([{ name: 'f', params: [], locals: [], code }], { kind: 'import' }));
  } catch {
    return false;
  }
}
