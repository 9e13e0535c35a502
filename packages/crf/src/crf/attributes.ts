import { DomainError, defineOptions, describeValue, ShapeError } from '@notes/core-linalg';
import { checkTokens } from './tokens.js';

/**
 * Which observation attributes to extract for each token (CRFsuite-style; Lafferty et al. 2001, Sha & Pereira
 * 2003). Each attribute a becomes state features $f_{a,y}(y_t, x, t) = [a \in \mathrm{attrs}(x, t)]\,[y_t = y]$.
 */
export interface FeatureTemplates {
  /** `w=<word>` (case-sensitive identity). @defaultValue true */
  word?: boolean;
  /** `l=<lower-cased word>`. @defaultValue true */
  lower?: boolean;
  /** Prefix lengths, `p<n>=<first n chars>` (lower-cased). @defaultValue [1, 2, 3] */
  prefixes?: readonly number[];
  /** Suffix lengths, `s<n>=<last n chars>` (lower-cased). @defaultValue [1, 2, 3, 4] */
  suffixes?: readonly number[];
  /** `sh=<shape>`: upper→X, lower→x, digit→d, runs collapsed (e.g. "McDonald's" → "XxXx'x"). @defaultValue true */
  shape?: boolean;
  /** Neighbour words within ±window, `w[-1]=<lower>` … (positions outside the sentence give `<s>`/`</s>`). @defaultValue 1 */
  window?: number;
  /** A constant `b` attribute (per-label bias). @defaultValue true */
  bias?: boolean;
  /** `BOS` on the first and `EOS` on the last token. @defaultValue true */
  bosEos?: boolean;
}

/** Fully specified templates. */
export type ResolvedTemplates = Required<FeatureTemplates>;

/**
 * A user-supplied attribute function (`fitCRF({ attributes })`): the attribute strings of token `t` of a sentence.
 * It replaces the templates entirely; each returned string a becomes state features $[a \in \mathrm{attrs}(x, t)]
 * [y_t = y]$ (a string returned twice for one token counts twice). It must be deterministic: the model calls it
 * again at prediction time, and a model saved with `toJSON()` needs the same function in `CRFModel.fromJSON`.
 */
export type AttributeFunction = (tokens: readonly string[], t: number) => readonly string[];

/** Where a model's attributes come from: templates, or a user {@link AttributeFunction}. */
export type AttributeSource = ResolvedTemplates | AttributeFunction;

const isLengths = (v: unknown) =>
  Array.isArray(v) && v.every((n, i) => i in v && Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 10);

const TEMPLATE_OPTIONS = defineOptions<FeatureTemplates>()('templates', {
  word: { type: 'boolean', default: true, doc: 'w=<word>' },
  lower: { type: 'boolean', default: true, doc: 'l=<lower-cased word>' },
  prefixes: { type: 'custom', expected: 'an array of integers in [1, 10]', check: isLengths, default: [1, 2, 3], doc: 'prefix lengths' },
  suffixes: { type: 'custom', expected: 'an array of integers in [1, 10]', check: isLengths, default: [1, 2, 3, 4], doc: 'suffix lengths' },
  shape: { type: 'boolean', default: true, doc: 'collapsed word shape' },
  window: { type: 'integer', min: 0, max: 5, default: 1, doc: 'neighbour words within ±window' },
  bias: { type: 'boolean', default: true, doc: 'constant bias attribute' },
  bosEos: { type: 'boolean', default: true, doc: 'BOS/EOS attributes' },
});

/** Default templates (word, lower, prefixes 1–3, suffixes 1–4, shape, ±1 neighbours, bias, BOS/EOS). */
export const DEFAULT_TEMPLATES: ResolvedTemplates = {
  word: true,
  lower: true,
  prefixes: [1, 2, 3],
  suffixes: [1, 2, 3, 4],
  shape: true,
  window: 1,
  bias: true,
  bosEos: true,
};

/**
 * Merges user templates over {@link DEFAULT_TEMPLATES}, validating them (core `defineOptions`: unknown keys are
 * rejected naming the closest valid key, wrong types quote the value).
 * @throws DomainError naming `where` and the bad template key.
 */
export function resolveTemplates(where: string, t: FeatureTemplates | undefined): ResolvedTemplates {
  let r: ResolvedTemplates;
  try {
    r = TEMPLATE_OPTIONS.parse(t) as ResolvedTemplates;
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError(`${where}: ${e.message}`);
    throw e;
  }
  return { ...r, prefixes: [...r.prefixes], suffixes: [...r.suffixes] };
}

/**
 * Calls a user {@link AttributeFunction} for token `t` and checks its result: an array of strings.
 * @throws DomainError naming `where` and the token when the function returns anything else.
 */
export function callAttributes(where: string, fn: AttributeFunction, tokens: readonly string[], t: number): readonly string[] {
  const out = fn(tokens, t);
  if (!Array.isArray(out)) {
    throw new DomainError(`${where}: option 'attributes' must return an array of strings, got ${describeValue(out)} for token [${t}]`);
  }
  for (let i = 0; i < out.length; i++) {
    if (typeof out[i] !== 'string') {
      throw new DomainError(`${where}: option 'attributes' must return an array of strings, got ${describeValue(out[i])} at [${i}] for token [${t}]`);
    }
  }
  return out;
}

/** Collapsed word shape: upper→X, lower→x, digit→d, other characters kept; runs of one class collapsed. */
export function wordShape(w: string): string {
  if (typeof w !== 'string') throw new ShapeError(`wordShape: argument 'w' must be a string, got ${describeValue(w)}`);
  let out = '';
  let last = '';
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    let k: string;
    if (c >= 65 && c <= 90) k = 'X';
    else if (c >= 97 && c <= 122) k = 'x';
    else if (c >= 48 && c <= 57) k = 'd';
    else if (c > 127) k = w[i].toLowerCase() !== w[i] ? 'X' : w[i].toUpperCase() !== w[i] ? 'x' : w[i];
    else k = w[i];
    if (k !== last) out += k;
    last = k;
  }
  return out;
}

/**
 * Calls `emit(t, attribute)` for every attribute of every token of a sentence. Attribute strings are the
 * feature-table keys (see {@link FeatureTemplates} for their forms; missing template keys take their defaults).
 * @throws ShapeError on bad tokens; DomainError on bad templates or a non-function `emit`.
 */
export function forEachAttribute(tokens: readonly string[], templates: FeatureTemplates, emit: (t: number, a: string) => void): void {
  checkTokens('forEachAttribute', tokens);
  const tpl = resolveTemplates('forEachAttribute', templates);
  if (typeof emit !== 'function') throw new DomainError(`forEachAttribute: argument 'emit' must be a function, got ${describeValue(emit)}`);
  const T = tokens.length;
  const lower = tokens.map((w) => w.toLowerCase());
  for (let t = 0; t < T; t++) {
    const w = tokens[t];
    const l = lower[t];
    if (tpl.bias) emit(t, 'b');
    if (tpl.word) emit(t, `w=${w}`);
    if (tpl.lower) emit(t, `l=${l}`);
    for (const n of tpl.prefixes) if (l.length >= n) emit(t, `p${n}=${l.slice(0, n)}`);
    for (const n of tpl.suffixes) if (l.length >= n) emit(t, `s${n}=${l.slice(l.length - n)}`);
    if (tpl.shape) emit(t, `sh=${wordShape(w)}`);
    for (let d = 1; d <= tpl.window; d++) {
      emit(t, t - d >= 0 ? `w[-${d}]=${lower[t - d]}` : `w[-${d}]=<s>`);
      emit(t, t + d < T ? `w[+${d}]=${lower[t + d]}` : `w[+${d}]=</s>`);
    }
    if (tpl.bosEos) {
      if (t === 0) emit(t, 'BOS');
      if (t === T - 1) emit(t, 'EOS');
    }
  }
}

/**
 * Attribute strings per token (convenience wrapper of {@link forEachAttribute}).
 * @throws ShapeError when `tokens` is not a non-empty array of strings; DomainError on bad templates.
 */
export function tokenAttributes(tokens: readonly string[], templates?: FeatureTemplates): string[][] {
  checkTokens('tokenAttributes', tokens);
  const tpl = resolveTemplates('tokenAttributes', templates);
  const out: string[][] = tokens.map(() => []);
  forEachAttribute(tokens, tpl, (t, a) => out[t].push(a));
  return out;
}
