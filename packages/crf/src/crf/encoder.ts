import { type AttributeFunction, type AttributeSource, callAttributes, type ResolvedTemplates, wordShape } from './attributes.js';

/** Resolves an attribute string to an id (−1 = unknown, skipped). */
export type AttributeResolver = (attribute: string) => number;

interface WordEntry {
  /** Ids of the word's own attributes (identity, lower, affixes, shape). */
  own: Int32Array;
  /** left[d−1]: id of `w[-d]=<lower>` (used by the token d positions to the right). */
  left: Int32Array;
  /** right[d−1]: id of `w[+d]=<lower>` (used by the token d positions to the left). */
  right: Int32Array;
}

/**
 * Turns tokens into attribute ids with a per-word-type cache, so each distinct word's attribute strings are
 * built and looked up once instead of at every occurrence. Produces exactly the attributes of
 * `forEachAttribute` (as ids). The cache is bounded (`maxEntries`; cleared when full).
 */
export class AttributeEncoder implements TokenEncoder {
  readonly #tpl: ResolvedTemplates;
  readonly #resolve: AttributeResolver;
  readonly #cache = new Map<string, WordEntry>();
  readonly #maxEntries: number;
  readonly #bias: number;
  readonly #bos: number;
  readonly #eos: number;
  readonly #padLeft: Int32Array;
  readonly #padRight: Int32Array;

  constructor(tpl: ResolvedTemplates, resolve: AttributeResolver, maxEntries = 500_000) {
    this.#tpl = tpl;
    this.#resolve = resolve;
    this.#maxEntries = maxEntries;
    this.#bias = tpl.bias ? resolve('b') : -1;
    this.#bos = tpl.bosEos ? resolve('BOS') : -1;
    this.#eos = tpl.bosEos ? resolve('EOS') : -1;
    this.#padLeft = Int32Array.from({ length: tpl.window }, (_, d) => resolve(`w[-${d + 1}]=<s>`));
    this.#padRight = Int32Array.from({ length: tpl.window }, (_, d) => resolve(`w[+${d + 1}]=</s>`));
  }

  #entry(w: string): WordEntry {
    let e = this.#cache.get(w);
    if (e) return e;
    const tpl = this.#tpl;
    const r = this.#resolve;
    const l = w.toLowerCase();
    const own: number[] = [];
    if (tpl.word) own.push(r(`w=${w}`));
    if (tpl.lower) own.push(r(`l=${l}`));
    for (const n of tpl.prefixes) if (l.length >= n) own.push(r(`p${n}=${l.slice(0, n)}`));
    for (const n of tpl.suffixes) if (l.length >= n) own.push(r(`s${n}=${l.slice(l.length - n)}`));
    if (tpl.shape) own.push(r(`sh=${wordShape(w)}`));
    const left = Int32Array.from({ length: tpl.window }, (_, d) => r(`w[-${d + 1}]=${l}`));
    const right = Int32Array.from({ length: tpl.window }, (_, d) => r(`w[+${d + 1}]=${l}`));
    e = { own: Int32Array.from(own), left, right };
    if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
    this.#cache.set(w, e);
    return e;
  }

  /**
   * Calls `emit(t, id, local)` for every known attribute id of every token (unknown ids, −1, are skipped), tokens
   * in order, so callers can record per-token offsets. Each token's ids start with its token-local ones (`local`
   * true: the bias and the word's own identity, affix and shape attributes, which depend only on the word), then
   * come the neighbour and BOS/EOS attributes (`local` false).
   */
  encode(tokens: readonly string[], emit: (t: number, id: number, local: boolean) => void): void {
    const T = tokens.length;
    const W = this.#tpl.window;
    const entries: WordEntry[] = new Array(T);
    for (let t = 0; t < T; t++) entries[t] = this.#entry(tokens[t]);
    for (let t = 0; t < T; t++) {
      if (this.#bias >= 0) emit(t, this.#bias, true);
      const own = entries[t].own;
      for (let k = 0; k < own.length; k++) if (own[k] >= 0) emit(t, own[k], true);
      for (let d = 1; d <= W; d++) {
        const li = t - d >= 0 ? entries[t - d].left[d - 1] : this.#padLeft[d - 1];
        if (li >= 0) emit(t, li, false);
        const ri = t + d < T ? entries[t + d].right[d - 1] : this.#padRight[d - 1];
        if (ri >= 0) emit(t, ri, false);
      }
      if (t === 0 && this.#bos >= 0) emit(t, this.#bos, false);
      if (t === T - 1 && this.#eos >= 0) emit(t, this.#eos, false);
    }
  }
}

/** What {@link AttributeEncoder} and the custom-function encoder have in common. */
export interface TokenEncoder {
  /** Calls `emit(t, id, local)` for every known attribute id of every token, tokens in order. */
  encode(tokens: readonly string[], emit: (t: number, id: number, local: boolean) => void): void;
}

/**
 * Encoder of a user {@link AttributeFunction}: `fn(tokens, t)` for each token, every string resolved to an id
 * (unknown ids, −1, skipped). Nothing is marked token-local (the function may look anywhere in the sentence).
 */
class FunctionEncoder implements TokenEncoder {
  readonly #fn: AttributeFunction;
  readonly #resolve: AttributeResolver;
  readonly #where: string;
  constructor(fn: AttributeFunction, resolve: AttributeResolver, where: string) {
    this.#fn = fn;
    this.#resolve = resolve;
    this.#where = where;
  }
  encode(tokens: readonly string[], emit: (t: number, id: number, local: boolean) => void): void {
    for (let t = 0; t < tokens.length; t++) {
      const attrs = callAttributes(this.#where, this.#fn, tokens, t);
      for (let i = 0; i < attrs.length; i++) {
        const id = this.#resolve(attrs[i] as string);
        if (id >= 0) emit(t, id, false);
      }
    }
  }
}

/** @internal the encoder of an attribute source: templates (cached per word) or a user function. */
export function createEncoder(source: AttributeSource, resolve: AttributeResolver, where: string): TokenEncoder {
  return typeof source === 'function' ? new FunctionEncoder(source, resolve, where) : new AttributeEncoder(source, resolve);
}
