/**
 * WebAssembly binary encoding for kernels assembled in source (see `encoding.ts`).
 * @packageDocumentation
 */
export { assembleModule, f64Bytes, i64Bytes, sleb128, uleb128, WasmType, wasmName, wasmSection, wasmSimdSupported } from './encoding.js';
export type { WasmFunction } from './encoding.js';
