/**
 * Declarative option specs: one table per function (name → type, range, default, doc) from which the
 * function gets both its defaults and its validator. Unknown keys are rejected with the closest valid
 * name; wrong types name the expected type and quote the received value with its type.
 */
import { describeValue } from './describe.js';
import { DomainError } from './errors.js';

interface RuleBase<V> {
  /** Value used when the option is absent or `undefined`. */
  readonly default?: V;
  /** One line for docs and error messages. */
  readonly doc?: string;
  /** Accept `null` as a value (kept as `null`). @defaultValue false */
  readonly nullable?: boolean;
}

/** A finite number (or integer) with optional bounds. */
export interface NumberRule extends RuleBase<number> {
  readonly type: 'number' | 'integer';
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly greaterThan?: number;
  /** Exclusive upper bound. */
  readonly lessThan?: number;
  /** Also accept +Infinity (e.g. "no limit"). @defaultValue false */
  readonly allowInfinity?: boolean;
}

/** `true` or `false`. */
export interface BooleanRule extends RuleBase<boolean> {
  readonly type: 'boolean';
}

/** One of a fixed list of strings or numbers. */
export interface EnumRule<V extends string | number = string | number> extends RuleBase<V> {
  readonly type: 'enum';
  readonly values: readonly V[];
}

/** A function (a callback such as `onProgress`). */
export interface FunctionRule extends RuleBase<(...args: never[]) => unknown> {
  readonly type: 'function';
}

/** An `AbortSignal` (anything with a boolean `aborted`). */
export interface SignalRule extends RuleBase<AbortSignal> {
  readonly type: 'signal';
}

/** A seeded generator from core's `createRng` (an object with `uniform` and `normal`). */
export interface RngRule extends RuleBase<unknown> {
  readonly type: 'rng';
}

/** Anything else: `check` returns `true` when the value is acceptable; `expected` describes it. */
export interface CustomRule extends RuleBase<unknown> {
  readonly type: 'custom';
  /** What is expected, e.g. "a kernel" or "an array of numbers". */
  readonly expected: string;
  readonly check: (value: unknown) => boolean;
}

/** One option's rule. */
export type OptionRule = NumberRule | BooleanRule | EnumRule | FunctionRule | SignalRule | RngRule | CustomRule;

/** A spec: one rule for every option of `T` (optional keys included). */
export type OptionsSpec<T> = { readonly [K in keyof Required<T>]: OptionRule };

type DefaultedKeys<S> = { [K in keyof S]: S[K] extends { readonly default: unknown } ? K : never }[keyof S];

/** The parsed options: keys that have a default in `S` are always present. */
export type ParsedOptions<T, S> = Readonly<
  Omit<T, DefaultedKeys<S> & keyof T> & { [K in DefaultedKeys<S> & keyof T]-?: Exclude<T[K], undefined> }
>;

/** A parser built by {@link defineOptions}. */
export interface OptionParser<T, S> {
  /** The function name used in messages. */
  readonly where: string;
  /** The spec it was built from. */
  readonly spec: S;
  /** The defaults (a frozen object holding every key with a default). */
  readonly defaults: Readonly<Partial<T>>;
  /**
   * Validates `options` and returns a new frozen object with the defaults filled in.
   * @throws DomainError on a non-object, an unknown key (naming the closest valid key) or a bad value.
   */
  parse(options: T | null | undefined): ParsedOptions<T, S>;
}

/** Edit distance between two strings (insertions, deletions, substitutions; case-insensitive). */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[t.length] as number;
}

/**
 * The valid name `key` most likely meant: the shortest name that `key` is a prefix of (or that is a prefix of
 * `key`; at least 3 characters) when every other such name extends it, else the closest by edit distance, or `undefined` when none is close
 * (distance above max(2, ⌈|key|/3⌉)).
 */
export function closestName(key: string, names: readonly string[]): string | undefined {
  if (typeof key !== 'string') throw new DomainError(`closestName: argument 'key' must be a string, got ${describeValue(key)}`);
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw new DomainError(`closestName: argument 'names' must be an array of strings, got ${describeValue(names)}`);
  }
  // A key that is a prefix of a valid name (or the reverse), e.g. 'period' for 'periodicity', is the likeliest intent.
  const k = key.toLowerCase();
  if (k.length >= 3) {
    const prefixed = names.filter((n) => n.toLowerCase().startsWith(k) || k.startsWith(n.toLowerCase()));
    // the shortest such name, when every other one extends it ('periodicity' before 'periodicityBounds')
    const shortest = [...prefixed].sort((p, q) => p.length - q.length)[0];
    if (shortest !== undefined && prefixed.every((n) => n.toLowerCase().startsWith(shortest.toLowerCase()))) return shortest;
  }
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const d = editDistance(key, name);
    if (d < bestD) {
      bestD = d;
      best = name;
    }
  }
  return bestD <= Math.max(2, Math.ceil(key.length / 3)) ? best : undefined;
}

function numberExpectation(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.greaterThan !== undefined) parts.push(`> ${rule.greaterThan}`);
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.lessThan !== undefined) parts.push(`< ${rule.lessThan}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  const kind = rule.type === 'integer' ? 'an integer' : rule.allowInfinity ? 'a number' : 'a finite number';
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/** What the rule expects, in words (used in messages and docs). */
export function describeRule(rule: OptionRule): string {
  if (typeof rule !== 'object' || rule === null) throw new DomainError(`describeRule: argument 'rule' must be an option rule, got ${describeValue(rule)}`);
  const base = ((): string => {
    switch (rule.type) {
      case 'number':
      case 'integer':
        return numberExpectation(rule);
      case 'boolean':
        return 'a boolean';
      case 'enum':
        return `one of ${rule.values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`;
      case 'function':
        return 'a function';
      case 'signal':
        return 'an AbortSignal';
      case 'rng':
        return "a generator from createRng (with 'uniform' and 'normal')";
      case 'custom':
        return rule.expected;
    }
  })();
  return rule.nullable ? `${base} or null` : base;
}

function ruleAccepts(rule: OptionRule, value: unknown): boolean {
  if (value === null) return rule.nullable === true;
  switch (rule.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || Number.isNaN(value)) return false;
      const infinite = rule.allowInfinity === true && value === Number.POSITIVE_INFINITY;
      if (rule.type === 'integer' && !Number.isInteger(value) && !infinite) return false;
      if (!Number.isFinite(value) && !infinite) return false;
      if (rule.min !== undefined && !(value >= rule.min)) return false;
      if (rule.max !== undefined && !(value <= rule.max)) return false;
      if (rule.greaterThan !== undefined && !(value > rule.greaterThan)) return false;
      if (rule.lessThan !== undefined && !(value < rule.lessThan)) return false;
      return true;
    }
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return (rule.values as readonly unknown[]).includes(value);
    case 'function':
      return typeof value === 'function';
    case 'signal':
      return typeof value === 'object' && value !== null && typeof (value as { aborted?: unknown }).aborted === 'boolean';
    case 'rng':
      return (
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { uniform?: unknown }).uniform === 'function' &&
        typeof (value as { normal?: unknown }).normal === 'function'
      );
    case 'custom':
      return rule.check(value);
  }
}

/**
 * Validates one option value against its rule.
 * @throws DomainError `<where>: option '<name>' must be <expected>, got <value>`.
 */
export function checkOption(where: string, name: string, rule: OptionRule, value: unknown): void {
  if (!ruleAccepts(rule, value)) {
    throw new DomainError(`${where}: option '${name}' must be ${describeRule(rule)}, got ${describeValue(value)}`);
  }
}

/**
 * Validates an options object against a spec without building a parser (see {@link defineOptions}).
 * Returns a new frozen object: the defaults, then every key of `options` whose value is not
 * `undefined` (an explicit `undefined` keeps the default). `options` itself is never modified.
 * @throws DomainError when `options` is not a plain object, holds a key the spec does not know (the
 * message names the closest valid key), or a value its rule rejects.
 */
export function parseOptions<T, S extends OptionsSpec<T>>(
  where: string,
  spec: S,
  options: T | null | undefined,
): ParsedOptions<T, S> {
  const out: Record<string, unknown> = {};
  const rules = spec as unknown as Record<string, OptionRule>;
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) {
      throw new DomainError(`${where}: argument 'options' must be an object, got ${describeValue(options)}`);
    }
    const src = options as Record<string, unknown>;
    const names = Object.keys(rules);
    for (const key of Object.keys(src)) {
      if (!Object.hasOwn(rules, key)) {
        const near = closestName(key, names);
        const hint = near ? `; did you mean '${near}'?` : `; valid options: ${names.join(', ')}`;
        throw new DomainError(`${where}: unknown option '${key}'${hint}`);
      }
      const value = src[key];
      if (value === undefined) continue;
      checkOption(where, key, rules[key] as OptionRule, value);
      out[key] = value;
    }
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (!(key in out) && rule.default !== undefined) out[key] = rule.default;
  }
  return Object.freeze(out) as ParsedOptions<T, S>;
}

/**
 * Builds the parser of one function's options from its spec. Declare the spec once next to the
 * options interface; the TSDoc of each option and its `doc` line say the same thing.
 * @example
 * interface FitOptions { tol?: number; maxIterations?: number; onProgress?: (p: FitProgress) => void }
 * const OPTIONS = defineOptions<FitOptions>()('fitThing', {
 *   tol: { type: 'number', greaterThan: 0, default: 1e-8, doc: 'relative change that stops the fit' },
 *   maxIterations: { type: 'integer', min: 1, default: 100 },
 *   onProgress: { type: 'function' },
 * });
 * const o = OPTIONS.parse(options); // o.tol: number, o.onProgress?: ...
 */
export function defineOptions<T>(): <const S extends OptionsSpec<T>>(where: string, spec: S) => OptionParser<T, S> {
  return <const S extends OptionsSpec<T>>(where: string, spec: S): OptionParser<T, S> => {
    const defaults: Record<string, unknown> = {};
    for (const [key, rule] of Object.entries(spec as unknown as Record<string, OptionRule>)) {
      if (rule.default !== undefined) {
        checkOption(where, key, rule, rule.default); // a spec whose default breaks its own rule is a bug
        defaults[key] = rule.default;
      }
    }
    return Object.freeze({
      where,
      spec,
      defaults: Object.freeze(defaults) as Readonly<Partial<T>>,
      parse: (options: T | null | undefined) => parseOptions<T, S>(where, spec, options),
    });
  };
}
