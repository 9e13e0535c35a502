/**
 * The NaN guard of the special functions: a non-number argument is a `DomainError`, a NaN argument a
 * `NonFiniteError`, and a NaN result (an argument outside the function's domain, e.g. `logit(2)`, a pole of
 * `digamma`) a `DomainError` naming the argument — NaN never leaks. ±Infinity results at poles and limits
 * (`gammaln(0)`, `erfinv(1)`) are returned as they are.
 */
import { describeValue, DomainError, NonFiniteError } from '../errors/index.js';

function check(where: string, name: string, x: unknown): void {
  if (typeof x !== 'number') throw new DomainError(`${where}: argument '${name}' must be a number, got ${describeValue(x)}`);
  if (Number.isNaN(x)) throw new NonFiniteError(`${where}: argument '${name}' must not be NaN`);
}

/** Wraps a one-argument function with the guard. */
export function guard1(where: string, f: (x: number) => number): (x: number) => number {
  return (x: number): number => {
    const y = f(x);
    if (!Number.isNaN(y) && typeof x === 'number') return y;
    check(where, 'x', x);
    throw new DomainError(`${where}: argument 'x' = ${x} is outside the domain (the result would be NaN)`);
  };
}

/** Wraps a two-argument function with the guard. */
export function guard2(where: string, names: [string, string], f: (a: number, b: number) => number): (a: number, b: number) => number {
  return (a: number, b: number): number => {
    const y = f(a, b);
    if (!Number.isNaN(y) && typeof a === 'number' && typeof b === 'number') return y;
    check(where, names[0], a);
    check(where, names[1], b);
    throw new DomainError(`${where}: arguments ${names[0]} = ${a}, ${names[1]} = ${b} are outside the domain (the result would be NaN)`);
  };
}

/** Checks one argument (number, not NaN). */
export const checkArgument = check;
