/**
 * Merging user options over a `DEFAULTS` object without letting explicit `undefined` erase a default.
 */
import { describeValue } from './describe.js';
import { DomainError } from './errors.js';

/**
 * Result type of {@link withDefaults}: every key of `D`, typed as the default or the option's
 * non-`undefined` type, plus the keys of `O` that have no default (kept as declared, e.g. optional
 * callbacks). This is the type TypeScript already infers for `{ ...defaults, ...options }`; unlike that
 * spread, {@link withDefaults} makes it true at run time when an option is explicitly `undefined`.
 */
export type WithDefaults<D extends object, O extends object> = {
  -readonly [K in keyof D]: K extends keyof O ? D[K] | Exclude<O[K], undefined> : D[K];
} & Omit<O, keyof D>;

/**
 * Merges `options` over `defaults`: a fresh object holding every own enumerable key of `defaults`, then
 * every own enumerable key of `options` whose value is not `undefined` (an explicit `undefined` keeps
 * the default; `null` and every other value override it, so validators downstream see — and reject with
 * a typed error — a `null`). `options` may be `undefined` or `null` (a copy of the defaults is returned).
 *
 * Keys are copied as own data properties, exactly as object spread does, so a JSON-parsed key
 * `"__proto__"` becomes a plain own property and never changes the result's prototype. Neither input is
 * modified; values are copied by reference (shallow merge).
 *
 * Why: `{ ...DEFAULTS, ...options }` replaces a default with `undefined` when a caller forwards its own
 * optional value (`fit(x, { tol: opts.tol })`), which is legal TypeScript without
 * `exactOptionalPropertyTypes`.
 *
 * @param defaults - the defaults (not modified).
 * @param options - the caller's options, possibly with `undefined` values (not modified).
 * @returns a new object; its type is {@link WithDefaults}.
 * @throws DomainError when `options` is not an object (nor null/undefined).
 * @example
 * const DEFAULTS = { tol: 1e-8, maxIterations: 100 };
 * withDefaults(DEFAULTS, { tol: undefined, maxIterations: 5, onProgress: log });
 * // { tol: 1e-8, maxIterations: 5, onProgress: log }
 */
export function withDefaults<D extends object, O extends object>(
  defaults: D,
  options: O | null | undefined,
): WithDefaults<D, O> {
  const out: Record<PropertyKey, unknown> = { ...(defaults as Record<PropertyKey, unknown>) };
  if (options !== null && options !== undefined) {
    if (typeof options !== 'object' || Array.isArray(options)) {
      throw new DomainError(`options must be an object, got ${describeValue(options)}`);
    }
    const src = options as Record<PropertyKey, unknown>;
    for (const key of Reflect.ownKeys(src)) {
      if (!Object.prototype.propertyIsEnumerable.call(src, key)) continue;
      const value = src[key];
      if (value === undefined) continue;
      // defineProperty, not assignment: a key named "__proto__" stays an own property (as with spread).
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    }
  }
  return out as WithDefaults<D, O>;
}
