import { describe, expect, expectTypeOf, test } from 'vitest';
import { withDefaults } from './index.js';

interface Opts {
  tol?: number;
  maxIterations?: number;
  mode?: 'a' | 'b' | null;
  onProgress?: (i: number) => void;
  signal?: AbortSignal;
}
const DEFAULTS = { tol: 1e-8, maxIterations: 100, mode: 'a' as 'a' | 'b' | null };

describe('errors: option defaults (withDefaults)', () => {
  test('an explicit undefined keeps the default, a value overrides it', () => {
    const o: Opts = { tol: undefined, maxIterations: 5 };
    const r = withDefaults(DEFAULTS, o);
    expect(r).toEqual({ tol: 1e-8, maxIterations: 5, mode: 'a' });
    expect(Object.keys(r).sort()).toEqual(['maxIterations', 'mode', 'tol']);
    // Same as omitting the key.
    expect(withDefaults(DEFAULTS, { maxIterations: 5 })).toEqual(r);
    // The plain spread this replaces gets it wrong.
    expect({ ...DEFAULTS, ...o }.tol).toBeUndefined();
    expectTypeOf(r.tol).toEqualTypeOf<number>();
    expectTypeOf(r.maxIterations).toEqualTypeOf<number>();
  });

  test('undefined or null options give a fresh copy of the defaults', () => {
    for (const o of [undefined, null, {}]) {
      const r = withDefaults(DEFAULTS, o as Opts | null | undefined);
      expect(r).toEqual(DEFAULTS);
      expect(r).not.toBe(DEFAULTS);
    }
  });

  test('null is kept as a value (validators downstream reject it)', () => {
    const r = withDefaults(DEFAULTS, { mode: null } as Opts);
    expect(r.mode).toBeNull();
    expect(Object.hasOwn(r, 'mode')).toBe(true);
    // 0, false and '' are values too.
    expect(withDefaults({ a: 1, b: true, c: 'x' }, { a: 0, b: false, c: '' })).toEqual({ a: 0, b: false, c: '' });
  });

  test('keys without a default (callbacks, signal) are preserved by reference', () => {
    const onProgress = (_i: number): void => {};
    const signal = new AbortController().signal;
    const r = withDefaults(DEFAULTS, { onProgress, signal } as Opts);
    expect(r.onProgress).toBe(onProgress);
    expect(r.signal).toBe(signal);
    expect(r.tol).toBe(1e-8);
    const none = withDefaults(DEFAULTS, { onProgress: undefined } as Opts);
    expect(Object.hasOwn(none, 'onProgress')).toBe(false);
  });

  test('neither input is mutated', () => {
    const defaults: Readonly<{ tol: number; list: number[] }> = Object.freeze({ tol: 1, list: [1, 2] });
    const options = Object.freeze({ tol: undefined, extra: 3 });
    const before = JSON.stringify([defaults, options]);
    const r = withDefaults(defaults, options);
    expect(JSON.stringify([defaults, options])).toBe(before);
    expect(Object.keys(options)).toEqual(['tol', 'extra']);
    expect(r).toEqual({ tol: 1, list: [1, 2], extra: 3 });
    r.tol = 7;
    expect(defaults.tol).toBe(1);
  });

  test('a JSON "__proto__" key does not change the prototype', () => {
    const options = JSON.parse('{"__proto__": {"polluted": true}, "tol": 2}') as Opts;
    const r = withDefaults(DEFAULTS, options);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect((r as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.tol).toBe(2);
    expect(r.maxIterations).toBe(100);
  });

  test('symbol keys and non-enumerable keys follow object-spread rules', () => {
    const sym = Symbol('s');
    const options: Record<PropertyKey, unknown> = { [sym]: 1 };
    Object.defineProperty(options, 'hidden', { value: 2, enumerable: false });
    const r = withDefaults({ a: 1 }, options) as Record<PropertyKey, unknown>;
    expect(r[sym]).toBe(1);
    expect(Object.hasOwn(r, 'hidden')).toBe(false);
  });
});
