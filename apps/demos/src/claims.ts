/**
 * Building {@link Claim}s: each helper computes `holds` from the measured value, so no demo can state a
 * fact about its data that the data does not support.
 */
import type { Claim } from './demo.js';

/** Short number formatting for claim tables (4 significant digits, exponents for tiny/huge values). */
export function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** `measured ≤ bound`. */
export function atMost(statement: string, measured: number, bound: number): Claim {
  return { statement, measured, expected: `≤ ${fmt(bound)}`, holds: measured <= bound };
}

/** `measured ≥ bound`. */
export function atLeast(statement: string, measured: number, bound: number): Claim {
  return { statement, measured, expected: `≥ ${fmt(bound)}`, holds: measured >= bound };
}

/** `lo ≤ measured ≤ hi`. */
export function between(statement: string, measured: number, lo: number, hi: number): Claim {
  return { statement, measured, expected: `in [${fmt(lo)}, ${fmt(hi)}]`, holds: measured >= lo && measured <= hi };
}

/** `|measured − expected| ≤ tolerance`. */
export function near(statement: string, measured: number, expected: number, tolerance: number): Claim {
  return {
    statement,
    measured,
    expected: `${fmt(expected)} ± ${fmt(tolerance)}`,
    holds: Math.abs(measured - expected) <= tolerance,
  };
}

/** `measured === expected` (exact, for counts and labels). */
export function equals(statement: string, measured: number | string | boolean, expected: number | string | boolean): Claim {
  return { statement, measured, expected: `= ${typeof expected === 'number' ? fmt(expected) : String(expected)}`, holds: measured === expected };
}

/** A claim about a sequence: every entry satisfies `ok` (e.g. "the ELBO never decreases"); measured = count of violations. */
export function everyOf<T>(statement: string, values: readonly T[], ok: (v: T, i: number) => boolean): Claim {
  let bad = 0;
  values.forEach((v, i) => {
    if (!ok(v, i)) bad += 1;
  });
  return { statement, measured: `${bad} of ${values.length} violate`, expected: '0 violate', holds: bad === 0 && values.length > 0 };
}

/** Median of repeated timings (ms) of `fn`, for timing claims. */
export function medianMs(fn: () => unknown, repeats = 5): number {
  const t: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)] as number;
}
