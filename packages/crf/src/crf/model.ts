import { DomainError, defineOptions, describeValue, type FitReport, NonFiniteError, readFitReport, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { assertNoOverflow, backwardLog, ChainWorkspace, forwardLog, nodeMarginals, viterbiKernel } from '../chain/index.js';
import { type AttributeFunction, type AttributeSource, type FeatureTemplates, type ResolvedTemplates, resolveTemplates } from './attributes.js';
import { createEncoder, type TokenEncoder } from './encoder.js';
import { checkTokens, type FeatureTable } from './featureTable.js';

/** Serialised CRF (`CRFModel.toJSON()`). */
export interface CRFJSON {
  kind: 'crf';
  version: 1;
  labels: string[];
  /** The feature templates, or `null` for a model trained with a user attribute function (`fitCRF({ attributes })`). */
  templates: ResolvedTemplates | null;
  /** How the model was trained (absent for a model built from chosen weights). */
  report?: FitReport;
  /** Training tokens (absent for a model built from chosen weights). */
  tokens?: number;
  /** Attribute strings; attribute a owns state features attrStart[a] .. attrStart[a+1]−1. */
  attributes: string[];
  attrStart: number[];
  /** Label of each state feature. */
  stateLabels: number[];
  /** State-feature weights, then the Y×Y transition weights (row-major, from i to j). */
  weights: number[];
}

/**
 * A trained linear-chain CRF (notes: Linear CRF,
 * $p(y\mid x) = \frac{1}{Z(x)}\exp\{\sum_t\sum_k \lambda_k f_k(y_t, y_{t-1}, x_t)\}$ — the notes' formula omits the
 * sum over positions t, which is restored here; likewise its step $p(y\mid x) = p(y,x)/\sum_{y'} p(y'\mid x)$ should read
 * $p(y,x)/\sum_{y'} p(y', x)$, which is what {@link CRFModel.logPartition} computes). Unknown words are handled by their affix/shape/neighbour
 * attributes; unseen attributes are ignored. Immutable; obtained from `fitCRF` or {@link CRFModel.fromJSON}.
 */
export class CRFModel {
  /** Tag names; column order of {@link CRFModel.marginals}. */
  readonly labels: readonly string[];
  /** The feature templates, or `undefined` when the model uses a user attribute function. */
  readonly templates: ResolvedTemplates | undefined;
  /** The user attribute function (`fitCRF({ attributes })`), or `undefined` when the model uses templates. */
  readonly attributes: AttributeFunction | undefined;
  /** The model's own copy of the feature table; read it with {@link CRFModel.table}. */
  readonly #table: FeatureTable;
  /** State weights then transition weights (the model's own copy; read them with {@link CRFModel.weights}). */
  readonly #w: Float64Array;
  /**
   * How the model was fitted (`fitCRF`, `trainPerceptron`): L-BFGS reasons `'converged'` (criterion `'gradTol'` or
   * `'fTol'`), `'max-iterations'`, `'line-search-failed'`; the perceptron `'completed'`. `undefined` for a model
   * built from chosen weights with {@link CRFModel.fromJSON}.
   */
  readonly report: FitReport | undefined;
  /** Number of weights: state features plus Y² transitions. */
  readonly features: number;
  /** Training tokens (`undefined` for a model built from chosen weights). */
  readonly tokens: number | undefined;
  readonly #Y: number;
  readonly #encoder: TokenEncoder;

  /** @internal use `fitCRF`, `trainPerceptron` or {@link CRFModel.fromJSON}; the table and weights are owned by the model. */
  constructor(given: FeatureTable, source: AttributeSource, weights: Float64Array, fit?: { report: FitReport; tokens: number }) {
    const table = copyFeatureTable(given);
    this.#table = table;
    this.labels = table.labels;
    this.templates = typeof source === 'function' ? undefined : source;
    this.attributes = typeof source === 'function' ? source : undefined;
    this.#w = Float64Array.from(weights);
    this.report = fit?.report;
    this.tokens = fit?.tokens;
    this.features = table.nWeights;
    this.#Y = table.labels.length;
    this.#encoder = createEncoder(source, (a) => table.attrIndex.get(a) ?? -1, 'CRFModel');
    Object.freeze(this);
  }

  /**
   * The feature table (attribute strings, CSR state features); a copy on every call, so writing into it leaves the
   * model unchanged (read it once outside loops).
   */
  get table(): FeatureTable {
    return copyFeatureTable(this.#table);
  }

  /** State weights then transition weights; a copy on every call (the model stays unchanged). */
  get weights(): Float64Array {
    return Float64Array.from(this.#w);
  }

  /**
   * Transition weight λ for label i → label j.
   * @throws DomainError when i or j is not a label id in [0, Y).
   */
  transitionWeight(i: number, j: number): number {
    for (const [name, v] of [['i', i], ['j', j]] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= this.#Y) {
        throw new DomainError(`CRFModel.transitionWeight: argument '${name}' must be a label id in [0, ${this.#Y}), got ${describeValue(v)}`);
      }
    }
    return this.#w[this.#table.nState + i * this.#Y + j];
  }

  /** Unary scores (T×Y, flat) of a sentence, extracting attributes on the fly. */
  unaryScores(tokens: readonly string[], where = 'CRFModel.unaryScores'): Float64Array {
    checkTokens(where, tokens);
    const Y = this.#Y;
    const { attrStart, stateLabel } = this.#table;
    const w = this.#w;
    const u = new Float64Array(tokens.length * Y);
    this.#encoder.encode(tokens, (t, id) => {
      const base = t * Y;
      for (let k = attrStart[id]; k < attrStart[id + 1]; k++) u[base + stateLabel[k]] += w[k];
    });
    return u;
  }

  /** Viterbi label ids of a sentence. @throws ShapeError on empty input; DomainError when the weights' sums overflow. */
  predictIds(tokens: readonly string[]): Int32Array {
    const u = this.unaryScores(tokens, 'CRFModel.predict');
    const T = tokens.length;
    const Y = this.#Y;
    const path = new Int32Array(T);
    const score = viterbiKernel(u, this.#w.subarray(this.#table.nState), T, Y, new Float64Array(T * Y), new Int32Array(T * Y), path);
    assertNoOverflow('CRFModel.predict', score, 'the weights', false);
    return path;
  }

  /** Most probable tag sequence $\arg\max_y p(y \mid x)$ (Viterbi). @throws ShapeError on empty input; DomainError on overflow. */
  predict(tokens: readonly string[]): string[] {
    return Array.from(this.predictIds(tokens), (y) => this.labels[y]);
  }

  #fb(where: string, tokens: readonly string[]) {
    const u = this.unaryScores(tokens, where);
    const T = tokens.length;
    const trans = this.#w.subarray(this.#table.nState);
    const ws = new ChainWorkspace(this.#Y, T);
    ws.setTransition(trans);
    const logZ = assertNoOverflow(where, forwardLog(u, trans, T, ws), 'the weights', false);
    return { u, T, trans, ws, logZ };
  }

  /** log Z(x). @throws ShapeError on empty input; DomainError when the weights' sums overflow. */
  logPartition(tokens: readonly string[]): number {
    return this.#fb('CRFModel.logPartition', tokens).logZ;
  }

  /** Posterior tag marginals $p(y_t = y \mid x)$ (T×Y Matrix, columns in `labels` order). @throws as {@link CRFModel.logPartition}. */
  marginals(tokens: readonly string[]): Matrix {
    const { T, u, trans, ws } = this.#fb('CRFModel.marginals', tokens);
    backwardLog(u, trans, T, ws);
    const flat = new Float64Array(T * this.#Y);
    nodeMarginals(T, ws, flat);
    const m = new Matrix(T, this.#Y);
    for (let t = 0; t < T; t++) for (let y = 0; y < this.#Y; y++) m.set(t, y, flat[t * this.#Y + y]);
    return m;
  }

  /** $\log p(y \mid x)$ of a given tag sequence. @throws ShapeError/DomainError on length mismatch or unknown tags. */
  logProbability(tokens: readonly string[], tags: readonly string[]): number {
    const { u, T, trans, logZ } = this.#fb('CRFModel.logProbability', tokens);
    if (!Array.isArray(tags)) throw new ShapeError(`CRFModel.logProbability: argument 'tags' must be an array of strings, got ${describeValue(tags)}`);
    if (tags.length !== T) throw new ShapeError(`CRFModel.logProbability: argument 'tags' must have length ${T} (tokens), got ${tags.length}`);
    const Y = this.#Y;
    let s = 0;
    let prev = -1;
    for (let t = 0; t < T; t++) {
      const y = typeof tags[t] === 'string' ? this.#table.labelIndex.get(tags[t]) : undefined;
      if (y === undefined) throw new DomainError(`CRFModel.logProbability: unknown tag ${describeValue(tags[t])} at [${t}]`);
      s += u[t * Y + y] + (prev >= 0 ? trans[prev * Y + y] : 0);
      prev = y;
    }
    return s - logZ;
  }

  /**
   * Plain JSON; {@link CRFModel.fromJSON} reproduces every prediction bit for bit. A model trained with a user
   * attribute function stores `templates: null` (functions are not JSON): pass the same function to `fromJSON`.
   */
  toJSON(): CRFJSON {
    const json: CRFJSON = {
      kind: 'crf',
      version: 1,
      labels: [...this.labels],
      templates: this.templates ? { ...this.templates, prefixes: [...this.templates.prefixes], suffixes: [...this.templates.suffixes] } : null,
      attributes: [...this.#table.attrNames],
      attrStart: Array.from(this.#table.attrStart),
      stateLabels: Array.from(this.#table.stateLabel),
      weights: Array.from(this.#w),
    };
    if (this.report !== undefined) json.report = this.report;
    if (this.tokens !== undefined) json.tokens = this.tokens;
    return json;
  }

  /**
   * Rebuilds (and validates) a model from {@link CRFModel.toJSON} output — also a way to build a CRF with chosen
   * weights (e.g. an HMM's log-probabilities; `report` and `tokens` may then be omitted). Every field is checked:
   * `kind`, `version`, labels and attributes distinct strings, `attrStart` integers non-decreasing from 0 to the
   * number of state features, state labels in range, weights finite and of length nState + Y², the templates (or
   * `options.attributes` when `templates` is `null`), `tokens` a non-negative integer, the report by core's
   * `readFitReport`.
   * @param options - `templates` overrides the stored templates; `attributes` supplies the attribute function of a
   * model trained with one (required when `json.templates` is `null`).
   * @throws ShapeError/DomainError/NonFiniteError naming the first bad field.
   */
  static fromJSON(json: CRFJSON, options?: CRFFromJSONOptions): CRFModel {
    const where = 'CRFModel.fromJSON';
    const o = FROM_JSON_OPTIONS.parse(options);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
    }
    if (json.kind !== 'crf') throw new DomainError(`${where}: field 'kind' must be 'crf', got ${describeValue(json.kind)}`);
    if (json.version !== 1) throw new DomainError(`${where}: field 'version' must be 1, got ${describeValue(json.version)}`);
    const labels = readStrings(where, 'labels', json.labels);
    const Y = labels.length;
    if (Y === 0) throw new ShapeError(`${where}: field 'labels' must not be empty`);
    const attributes = readStrings(where, 'attributes', json.attributes);
    const A = attributes.length;
    const stateLabels = readIntegers(where, 'stateLabels', json.stateLabels, 0, Y - 1);
    const nState = stateLabels.length;
    const attrStart = readIntegers(where, 'attrStart', json.attrStart, 0, nState);
    if (attrStart.length !== A + 1) throw new ShapeError(`${where}: field 'attrStart' must have length ${A + 1}, got ${attrStart.length}`);
    if (attrStart[0] !== 0 || attrStart[A] !== nState) throw new ShapeError(`${where}: field 'attrStart' must run from 0 to ${nState}`);
    for (let a = 0; a < A; a++) if (attrStart[a + 1] < attrStart[a]) throw new DomainError(`${where}: field 'attrStart' must be non-decreasing (at [${a + 1}])`);
    assertUnique(where, 'labels', labels);
    assertUnique(where, 'attributes', attributes);
    if (!Array.isArray(json.weights)) throw new ShapeError(`${where}: field 'weights' must be an array of numbers, got ${describeValue(json.weights)}`);
    if (json.weights.length !== nState + Y * Y) throw new ShapeError(`${where}: field 'weights' must have length ${nState + Y * Y}, got ${json.weights.length}`);
    const weights = new Float64Array(json.weights.length);
    for (let k = 0; k < weights.length; k++) {
      const v = (json.weights as unknown[])[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const E = typeof v === 'number' ? NonFiniteError : DomainError;
        throw new E(`${where}: field 'weights' must hold finite numbers, got ${k in json.weights ? describeValue(v) : 'a hole'} at [${k}]`);
      }
      weights[k] = v;
    }
    let source: AttributeSource;
    if (o.attributes !== undefined) {
      if (o.templates !== undefined) throw new DomainError(`${where}: give option 'templates' or option 'attributes', not both`);
      source = o.attributes;
    } else if (o.templates !== undefined) {
      source = resolveTemplates(where, o.templates);
    } else if (json.templates === null) {
      throw new DomainError(`${where}: the model was trained with a user attribute function (field 'templates' is null); pass it as option 'attributes'`);
    } else {
      if (typeof json.templates !== 'object' || Array.isArray(json.templates)) {
        throw new DomainError(`${where}: field 'templates' must be an object or null, got ${describeValue(json.templates)}`);
      }
      source = resolveTemplates(`${where} (field 'templates')`, json.templates);
    }
    let fit: { report: FitReport; tokens: number } | undefined;
    if (json.report !== undefined || json.tokens !== undefined) {
      const tokens = json.tokens;
      if (typeof tokens !== 'number' || !Number.isInteger(tokens) || tokens < 1) {
        throw new DomainError(`${where}: field 'tokens' must be an integer >= 1 (with 'report'), got ${describeValue(tokens)}`);
      }
      fit = { report: readFitReport(where, json.report), tokens };
    }
    const table: FeatureTable = {
      labels,
      labelIndex: new Map(labels.map((l, i) => [l, i])),
      attrNames: attributes,
      attrIndex: new Map(attributes.map((a, i) => [a, i])),
      attrStart: Int32Array.from(attrStart),
      stateLabel: Int32Array.from(stateLabels),
      nState,
      nWeights: nState + Y * Y,
    };
    return new CRFModel(table, source, weights, fit);
  }
}

/** Options of {@link CRFModel.fromJSON}. */
export interface CRFFromJSONOptions {
  /** Templates to use instead of the stored ones. */
  templates?: FeatureTemplates;
  /** The attribute function of a model trained with `fitCRF({ attributes })`. */
  attributes?: AttributeFunction;
}

const FROM_JSON_OPTIONS = defineOptions<CRFFromJSONOptions>()('CRFModel.fromJSON', {
  templates: { type: 'custom', expected: 'a templates object', check: (v) => typeof v === 'object' && v !== null && !Array.isArray(v), doc: 'templates override' },
  attributes: { type: 'function', doc: 'user attribute function' },
});

function readStrings(where: string, name: string, xs: unknown): string[] {
  if (!Array.isArray(xs)) throw new ShapeError(`${where}: field '${name}' must be an array of strings, got ${describeValue(xs)}`);
  for (let i = 0; i < xs.length; i++) {
    if (typeof xs[i] !== 'string') throw new DomainError(`${where}: field '${name}[${i}]' must be a string, got ${i in xs ? describeValue(xs[i]) : 'a hole'}`);
  }
  return [...(xs as string[])];
}

function readIntegers(where: string, name: string, xs: unknown, lo: number, hi: number): number[] {
  if (!Array.isArray(xs)) throw new ShapeError(`${where}: field '${name}' must be an array of integers, got ${describeValue(xs)}`);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
      throw new DomainError(`${where}: field '${name}[${i}]' must be an integer in [${lo}, ${hi}], got ${i in xs ? describeValue(v) : 'a hole'}`);
    }
  }
  return xs as number[];
}

function assertUnique(where: string, name: string, xs: readonly string[]): void {
  const seen = new Set<string>();
  xs.forEach((x, i) => {
    if (seen.has(x)) throw new DomainError(`${where}: field '${name}' must be distinct; '${x}' repeats at [${i}]`);
    seen.add(x);
  });
}

/** A deep copy of a feature table: new typed arrays, maps and frozen name lists (the model never shares them). */
function copyFeatureTable(t: FeatureTable): FeatureTable {
  return {
    labels: Object.freeze([...t.labels]),
    labelIndex: new Map(t.labelIndex),
    attrNames: Object.freeze([...t.attrNames]),
    attrIndex: new Map(t.attrIndex),
    attrStart: Int32Array.from(t.attrStart),
    stateLabel: Int32Array.from(t.stateLabel),
    nState: t.nState,
    nWeights: t.nWeights,
  };
}
