import { describe, expect, it } from 'vitest';
import { assembleModule, f64Bytes, i64Bytes, sleb128, uleb128, WasmType, wasmName, wasmSection, wasmSimdSupported } from './encoding.js';

describe('WebAssembly binary encoding', () => {
  it('LEB128 matches the specification’s examples and round-trips', () => {
    expect(uleb128(0)).toEqual([0]);
    expect(uleb128(127)).toEqual([0x7f]);
    expect(uleb128(128)).toEqual([0x80, 0x01]);
    expect(uleb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb128(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb128(0)).toEqual([0]);
    expect(sleb128(63)).toEqual([0x3f]);
    expect(sleb128(64)).toEqual([0xc0, 0x00]);
    expect(sleb128(-1)).toEqual([0x7f]);
    expect(sleb128(-64)).toEqual([0x40]);
    expect(sleb128(-65)).toEqual([0xbf, 0x7f]);
    expect(sleb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    // decode and compare on a sweep
    const decodeS = (b: number[]) => {
      let r = 0;
      let shift = 0;
      let byte = 0;
      let k = 0;
      do {
        byte = b[k++]!;
        r |= (byte & 0x7f) << shift;
        shift += 7;
      } while (byte & 0x80);
      if (shift < 32 && byte & 0x40) r |= -1 << shift;
      return r;
    };
    for (const n of [-0x80000000, -1e9, -8193, -8192, -100, 100, 8191, 8192, 1e9, 0x7fffffff]) expect(decodeS(sleb128(n))).toBe(n);
    expect(() => uleb128(-1)).toThrow(RangeError);
    expect(() => uleb128(2 ** 32)).toThrow(RangeError);
    expect(() => sleb128(2 ** 31)).toThrow(RangeError);
    expect(() => sleb128(0.5)).toThrow(RangeError);
  });

  it('constants, names and sections', () => {
    expect(f64Bytes(1)).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
    expect(i64Bytes(1023, 0)).toEqual([0xff, 0x03, 0, 0, 0, 0, 0, 0]);
    expect(wasmName('mem')).toEqual([3, 0x6d, 0x65, 0x6d]);
    expect(() => wasmName('é')).toThrow(RangeError);
    expect(wasmSection(7, [1, 2, 3])).toEqual([7, 3, 1, 2, 3]);
  });

  it('assembles runnable modules over an imported or an exported memory', () => {
    // add2(a, b, out): out[0..2) = a[0..2) + b[0..2) as one f64x2 add
    const code = [0x20, 2, 0x20, 0, 0xfd, 0x00, 3, 0, 0x20, 1, 0xfd, 0x00, 3, 0, 0xfd, 0xf0, 0x01, 0xfd, 0x0b, 3, 0];
    const fn = { name: 'add2', params: [WasmType.i32, WasmType.i32, WasmType.i32], locals: [], code };
    const imported = assembleModule([fn], { kind: 'import' });
    expect(WebAssembly.validate(imported)).toBe(true);
    const mem = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(imported), { env: { mem } });
    const f = new Float64Array(mem.buffer);
    f.set([1.5, -2, 0.25, 4], 0);
    (inst.exports.add2 as (a: number, b: number, o: number) => void)(0, 16, 32);
    expect(Array.from(f.subarray(4, 6))).toEqual([1.75, 2]);

    const exported = assembleModule([fn, { ...fn, name: 'again' }], { kind: 'export', pages: 2 });
    const inst2 = new WebAssembly.Instance(new WebAssembly.Module(exported), {});
    const mem2 = inst2.exports.mem as WebAssembly.Memory;
    expect(mem2.buffer.byteLength).toBe(2 * 65536);
    const g = new Float64Array(mem2.buffer);
    g.set([3, 4, 5, 6], 0);
    (inst2.exports.again as (a: number, b: number, o: number) => void)(0, 16, 32);
    expect(Array.from(g.subarray(4, 6))).toEqual([8, 10]);
    expect(wasmSimdSupported()).toBe(true); // Node 20
  });
});
