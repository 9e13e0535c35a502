import { assertInteger, DomainError, withDefaults } from '@notes/core-linalg';

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

/** Merges user templates over {@link DEFAULT_TEMPLATES}, validating them. @throws DomainError */
export function resolveTemplates(where: string, t: FeatureTemplates | undefined): ResolvedTemplates {
  const r: ResolvedTemplates = withDefaults(DEFAULT_TEMPLATES, t);
  assertInteger(where, 'templates.window', r.window, 0, 5);
  for (const n of [...r.prefixes, ...r.suffixes]) assertInteger(where, 'templates.prefixes/suffixes', n, 1, 10);
  if (!Array.isArray(r.prefixes) || !Array.isArray(r.suffixes)) throw new DomainError(`${where}: templates.prefixes/suffixes must be arrays`);
  return { ...r, prefixes: [...r.prefixes], suffixes: [...r.suffixes] };
}

/** Collapsed word shape: upper→X, lower→x, digit→d, other characters kept; runs of one class collapsed. */
export function wordShape(w: string): string {
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
 * feature-table keys (see {@link FeatureTemplates} for their forms).
 */
export function forEachAttribute(tokens: readonly string[], tpl: ResolvedTemplates, emit: (t: number, a: string) => void): void {
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

/** Attribute strings per token (convenience wrapper of {@link forEachAttribute}). */
export function tokenAttributes(tokens: readonly string[], templates?: FeatureTemplates): string[][] {
  const tpl = resolveTemplates('tokenAttributes', templates);
  const out: string[][] = tokens.map(() => []);
  forEachAttribute(tokens, tpl, (t, a) => out[t].push(a));
  return out;
}
