import {
  assertInteger,
  assertLength,
  assertNonNegative,
  assertPositive,
  DomainError,
  defineOptions,
  describeValue,
  type FitLoop,
  type FitReport,
  makeFitReport,
  readFitReport,
  readVector,
  runFit,
  runFitAsync,
  ShapeError,
  stopwatch,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { chainMarginals, viterbiKernel } from '../chain/index.js';
import { checkSentences, checkTokens, type TaggedSentence } from '../crf/index.js';
import { buildSuffixModel, type SuffixModelJSON, unknownWordLogEmission } from './suffixModel.js';

/** Options of {@link fitHMMTagger}. */
export interface FitHMMTaggerOptions {
  /** Words seen at most this often feed the suffix model. @defaultValue 10 */
  rareThreshold?: number;
  /** Longest suffix used. @defaultValue 10 */
  maxSuffix?: number;
  /** Add-α smoothing of the bigram counts before interpolation. @defaultValue 0 */
  smoothing?: number;
  /** Stops counting at the next checkpoint (every 2,000 sentences) with `AbortError` (no partial: the tables are incomplete). */
  signal?: AbortSignal;
}

const OPTIONS = defineOptions<FitHMMTaggerOptions>()('fitHMMTagger', {
  rareThreshold: { type: 'integer', min: 0, default: 10, doc: 'words seen at most this often feed the suffix model' },
  maxSuffix: { type: 'integer', min: 0, max: 20, default: 10, doc: 'longest suffix' },
  smoothing: { type: 'number', min: 0, default: 0, doc: 'add-α smoothing of bigram counts' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

/** Sentences counted between two checkpoints of {@link fitHMMTagger}'s loop. */
const COUNT_CHECKPOINT = 2000;

/** Serialised tagger. */
export interface HMMTaggerJSON {
  kind: 'hmm-tagger';
  version: 1;
  tags: string[];
  /** word → [tag ids, log p(w|t)] pairs. */
  lexicon: Record<string, [number[], number[]]>;
  /** log p(t | previous t), Y×Y row-major; start row; end column. */
  logTransition: number[];
  logStart: number[];
  logEnd: number[];
  suffix: SuffixModelJSON;
  /** The fit report (`reason` `'completed'`: one counting pass). */
  report?: FitReport;
}

/**
 * A supervised bigram HMM part-of-speech tagger (notes: HMM, $p(y,x) = \prod_t p(y_t\mid y_{t-1})p(x_t\mid y_t)$,
 * with start and end transitions). Known words use relative-frequency emissions $c(w,t)/c(t)$ (only tags seen with
 * the word, as in TnT); a word unseen in its exact case falls back to its lower-case form; unknown words use the
 * TnT suffix/shape model. Transitions interpolate bigram and unigram estimates with deleted-interpolation
 * weights (Brants 2000, §2.2). Decoding is the chain Viterbi.
 */
export class HMMTagger {
  /** Tag names; column order of {@link HMMTagger.posteriors}. */
  readonly tags: readonly string[];
  /** The fit report: `reason` `'completed'` (supervised counting is one pass; `iterations` 1). */
  readonly report: FitReport | undefined;
  readonly #json: HMMTaggerJSON;
  readonly #lex: Map<string, { tags: Int32Array; logp: Float64Array }>;
  readonly #trans: Float64Array;

  /** @internal */
  constructor(json: HMMTaggerJSON) {
    this.#json = json;
    this.tags = json.tags;
    this.report = json.report;
    this.#lex = new Map(Object.entries(json.lexicon).map(([w, [t, p]]) => [w, { tags: Int32Array.from(t), logp: Float64Array.from(p) }]));
    this.#trans = Float64Array.from(json.logTransition);
    Object.freeze(this);
  }

  /** Unary scores (T×Y) including start/end transitions. */
  unary(tokens: readonly string[]): Float64Array {
    const Y = this.tags.length;
    const T = tokens.length;
    const u = new Float64Array(T * Y);
    for (let t = 0; t < T; t++) {
      const w = tokens[t];
      const e = this.#lex.get(w) ?? this.#lex.get(w.toLowerCase());
      if (e) {
        u.fill(Number.NEGATIVE_INFINITY, t * Y, (t + 1) * Y);
        for (let k = 0; k < e.tags.length; k++) u[t * Y + e.tags[k]] = e.logp[k];
      } else {
        unknownWordLogEmission(this.#json.suffix, w, u, t * Y);
      }
    }
    for (let y = 0; y < Y; y++) {
      u[y] += this.#json.logStart[y];
      u[(T - 1) * Y + y] += this.#json.logEnd[y];
    }
    return u;
  }

  /** Viterbi tags of a sentence. @throws ShapeError on empty input or non-string tokens. */
  tag(tokens: readonly string[]): string[] {
    checkTokens('HMMTagger.tag', tokens);
    const Y = this.tags.length;
    const T = tokens.length;
    const path = new Int32Array(T);
    viterbiKernel(this.unary(tokens), this.#trans, T, Y, new Float64Array(T * Y), new Int32Array(T * Y), path);
    return Array.from(path, (y) => this.tags[y]);
  }

  /**
   * Posterior tag marginals $p(y_t = k \mid x)$ (T×Y, columns in `tags` order) by forward–backward over the same
   * unary and transition scores as {@link HMMTagger.tag}.
   */
  posteriors(tokens: readonly string[]): Matrix {
    checkTokens('HMMTagger.posteriors', tokens);
    const Y = this.tags.length;
    const u = this.unary(tokens);
    const rows = Array.from({ length: tokens.length }, (_, t) => u.subarray(t * Y, (t + 1) * Y));
    const A = Array.from({ length: Y }, (_, i) => this.#trans.subarray(i * Y, (i + 1) * Y));
    return chainMarginals(rows, A).marginals;
  }

  /** Plain-JSON copy of the fitted tables; {@link HMMTagger.fromJSON} rebuilds the same tagger. */
  toJSON(): HMMTaggerJSON {
    return structuredClone(this.#json);
  }

  /**
   * Rebuilds a tagger from {@link HMMTagger.toJSON} output, validated first.
   * @throws DomainError (wrong kind, repeated tags, ids out of range), ShapeError (lengths), NonFiniteError.
   */
  static fromJSON(json: HMMTaggerJSON): HMMTagger {
    const where = 'HMMTagger.fromJSON';
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
    }
    if (json.kind !== 'hmm-tagger') throw new DomainError(`${where}: field 'kind' must be 'hmm-tagger', got ${describeValue(json.kind)}`);
    if (json.version !== 1) throw new DomainError(`${where}: field 'version' must be 1, got ${describeValue(json.version)}`);
    checkTaggerJSON(json);
    const copy = structuredClone(json);
    if (json.report !== undefined) copy.report = readFitReport(where, json.report);
    return new HMMTagger(copy);
  }
}

/** Validates the shapes and values of a serialised tagger (Y tags). */
function checkTaggerJSON(json: HMMTaggerJSON): void {
  const where = 'HMMTagger.fromJSON';
  checkTokens(where, json.tags, 'tags');
  if (new Set(json.tags).size !== json.tags.length) throw new DomainError(`${where}: 'tags' must be distinct`);
  const Y = json.tags.length;
  for (const [name, length] of [['logTransition', Y * Y], ['logStart', Y], ['logEnd', Y]] as const) {
    const v = readVector(where, name, json[name], { length });
    for (let i = 0; i < length; i++) {
      if (v[i] > 0) throw new DomainError(`${where}: field '${name}' must hold log-probabilities (<= 0), got ${v[i]} at [${i}]`);
    }
  }
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(json.lexicon)) throw new DomainError(`${where}: field 'lexicon' must be an object (word → [tag ids, log-probabilities]), got ${describeValue(json.lexicon)}`);
  for (const [w, entry] of Object.entries(json.lexicon)) {
    const [ids, logp] = Array.isArray(entry) ? entry : [[], []];
    if (!Array.isArray(ids) || !Array.isArray(logp) || ids.length === 0 || ids.length !== logp.length) {
      throw new ShapeError(`${where}: 'lexicon' entry '${w}' must be [tag ids, log-probabilities] of equal, non-zero length`);
    }
    for (let k = 0; k < ids.length; k++) assertInteger(where, `lexicon['${w}'][0][${k}]`, ids[k], 0, Y - 1);
    const lp = readVector(where, `lexicon['${w}'][1]`, logp);
    for (let k = 0; k < lp.length; k++) {
      if (lp[k] > 0) throw new DomainError(`${where}: field 'lexicon['${w}'][1]' must hold log-probabilities (<= 0), got ${lp[k]} at [${k}]`);
    }
  }
  const m = json.suffix;
  if (!isObject(m)) throw new DomainError(`${where}: field 'suffix' must be an object, got ${describeValue(m)}`);
  if (!isObject(m.counts)) throw new DomainError(`${where}: field 'suffix.counts' must be an object, got ${describeValue(m.counts)}`);
  if (!Array.isArray(m.prior)) throw new ShapeError(`${where}: field 'suffix.prior' must be an array of ${Y} numbers, got ${describeValue(m.prior)}`);
  assertLength(where, 'suffix.prior', m.prior, Y, 'tags');
  for (let t = 0; t < Y; t++) assertPositive(where, `suffix.prior[${t}]`, m.prior[t]);
  const priorSum = m.prior.reduce((a, b) => a + b, 0);
  if (!(Math.abs(priorSum - 1) <= 1e-8)) throw new DomainError(`${where}: field 'suffix.prior' must sum to 1, got ${priorSum}`);
  assertNonNegative(where, 'suffix.theta', m.theta);
  assertInteger(where, 'suffix.maxSuffix', m.maxSuffix, 0);
  for (const [key, row] of Object.entries(m.counts)) {
    if (!Array.isArray(row)) throw new ShapeError(`${where}: field 'suffix.counts['${key}']' must be an array of ${Y} counts, got ${describeValue(row)}`);
    assertLength(where, `suffix.counts['${key}']`, row, Y, 'tags');
    for (let t = 0; t < Y; t++) assertNonNegative(where, `suffix.counts['${key}'][${t}]`, row[t]);
  }
}

/** An {@link HMMTagger} returned by a fit: its `report` is always present. */
export type FittedHMMTagger = HMMTagger & { readonly report: FitReport };

/**
 * Trains an {@link HMMTagger} from tagged sentences (one counting pass; `report.reason` `'completed'`).
 * @throws ShapeError on empty data, token/tag length mismatch or non-string tokens/tags; DomainError on bad options
 * (unknown keys name the closest one); AbortError when `signal` fires (no partial).
 */
export function fitHMMTagger(data: readonly TaggedSentence[], options?: FitHMMTaggerOptions): FittedHMMTagger {
  const o = OPTIONS.parse(options);
  checkSentences('fitHMMTagger', data, true);
  return runFit('fitHMMTagger', taggerLoop(data, o), { signal: o.signal });
}

/**
 * {@link fitHMMTagger} run by the asynchronous driver (same loop, same tagger), yielding to the event loop at least
 * every 50 ms; an abort rejects with `AbortError` (no partial).
 */
export function fitHMMTaggerAsync(data: readonly TaggedSentence[], options?: FitHMMTaggerOptions): Promise<FittedHMMTagger> {
  try {
    const o = OPTIONS.parse(options);
    checkSentences('fitHMMTaggerAsync', data, true);
    return runFitAsync('fitHMMTaggerAsync', taggerLoop(data, o), { signal: o.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}

function* taggerLoop(data: readonly TaggedSentence[], o: ReturnType<typeof OPTIONS.parse>): FitLoop<FittedHMMTagger> {
  const clock = stopwatch();
  const tags = [...new Set(data.flatMap((s) => s.tags))].sort();
  const ti = new Map(tags.map((t, i) => [t, i]));
  const Y = tags.length;
  const uni = new Float64Array(Y);
  const bi = new Float64Array(Y * Y);
  const start = new Float64Array(Y);
  const end = new Float64Array(Y);
  const wordTag = new Map<string, Map<number, number>>();
  const wordCount = new Map<string, number>();
  let N = 0;
  for (let n = 0; n < data.length; n++) {
    if (n > 0 && n % COUNT_CHECKPOINT === 0) yield undefined;
    const s = data[n];
    let prev = -1;
    s.tokens.forEach((w: string, t: number) => {
      const y = ti.get(s.tags[t]) as number;
      uni[y]++;
      N++;
      if (prev < 0) start[y]++;
      else bi[prev * Y + y]++;
      prev = y;
      let m = wordTag.get(w);
      if (!m) {
        m = new Map();
        wordTag.set(w, m);
      }
      m.set(y, (m.get(y) ?? 0) + 1);
      wordCount.set(w, (wordCount.get(w) ?? 0) + 1);
    });
    end[prev]++;
  }
  // deleted interpolation (Brants 2000, Fig. 1) for bigram vs unigram
  let l1 = 0;
  let l2 = 0;
  for (let i = 0; i < Y; i++) {
    for (let j = 0; j < Y; j++) {
      const c = bi[i * Y + j];
      if (c === 0) continue;
      const a = uni[i] > 1 ? (c - 1) / (uni[i] - 1) : 0;
      const b = (uni[j] - 1) / (N - 1);
      if (a > b) l2 += c;
      else l1 += c;
    }
  }
  const lam2 = l1 + l2 > 0 ? l2 / (l1 + l2) : 0.5;
  const lam1 = 1 - lam2;
  const logTransition = new Array<number>(Y * Y);
  for (let i = 0; i < Y; i++) {
    let rowSum = 0;
    for (let j = 0; j < Y; j++) rowSum += bi[i * Y + j] + o.smoothing;
    for (let j = 0; j < Y; j++) {
      const p2 = rowSum > 0 ? (bi[i * Y + j] + o.smoothing) / rowSum : 0;
      logTransition[i * Y + j] = Math.log(lam2 * p2 + lam1 * (uni[j] / N));
    }
  }
  const nSent = data.length;
  const logStart = Array.from(start, (c, y) => Math.log(lam2 * (c / nSent) + lam1 * (uni[y] / N)));
  const logEnd = Array.from(end, (c, y) => Math.log(lam2 * (c / uni[y]) + lam1 * (nSent / (N + nSent))));
  // null prototype: a word such as '__proto__' must become an own key, not set the object's prototype
  const lexicon: Record<string, [number[], number[]]> = Object.create(null);
  const rare: { word: string; tag: number; count: number }[] = [];
  for (const [w, m] of wordTag) {
    const ids = [...m.keys()].sort((a, b) => a - b);
    lexicon[w] = [ids, ids.map((y) => Math.log((m.get(y) as number) / uni[y]))];
    if ((wordCount.get(w) as number) <= o.rareThreshold) for (const y of ids) rare.push({ word: w, tag: y, count: m.get(y) as number });
  }
  const prior = uni.map((c) => c / N);
  const suffix = buildSuffixModel(rare, prior, o.maxSuffix);
  const report = makeFitReport({ reason: 'completed', iterations: 1, elapsedMs: clock() });
  return new HMMTagger({ kind: 'hmm-tagger', version: 1, tags, lexicon, logTransition, logStart, logEnd, suffix, report }) as FittedHMMTagger;
}
