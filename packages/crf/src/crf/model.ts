import { assertFinite, assertInteger, DomainError, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { assertNoOverflow, backwardLog, ChainWorkspace, forwardLog, nodeMarginals, viterbiKernel } from '../chain/index.js';
import { type FeatureTemplates, type ResolvedTemplates, resolveTemplates } from './attributes.js';
import { AttributeEncoder } from './encoder.js';
import { checkTokens, type FeatureTable } from './featureTable.js';

/** Serialised CRF (`CRFModel.toJSON()`). */
export interface CRFJSON {
  kind: 'crf';
  version: 1;
  labels: string[];
  templates: ResolvedTemplates;
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
  readonly labels: readonly string[];
  readonly templates: ResolvedTemplates;
  readonly table: FeatureTable;
  /** State weights then transition weights. */
  readonly weights: Float64Array;
  readonly #Y: number;
  readonly #encoder: AttributeEncoder;

  /** @internal */
  constructor(table: FeatureTable, templates: ResolvedTemplates, weights: Float64Array) {
    this.table = table;
    this.labels = table.labels;
    this.templates = templates;
    this.weights = weights;
    this.#Y = table.labels.length;
    this.#encoder = new AttributeEncoder(templates, (a) => table.attrIndex.get(a) ?? -1);
    Object.freeze(this);
  }

  /** Transition weight λ for label i → label j. */
  transitionWeight(i: number, j: number): number {
    return this.weights[this.table.nState + i * this.#Y + j];
  }

  /** Unary scores (T×Y, flat) of a sentence, extracting attributes on the fly. */
  unaryScores(tokens: readonly string[], where = 'CRFModel.unaryScores'): Float64Array {
    checkTokens(where, tokens);
    const Y = this.#Y;
    const { attrStart, stateLabel } = this.table;
    const w = this.weights;
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
    const score = viterbiKernel(u, this.weights.subarray(this.table.nState), T, Y, new Float64Array(T * Y), new Int32Array(T * Y), path);
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
    const trans = this.weights.subarray(this.table.nState);
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
    if (tags.length !== T) throw new ShapeError(`CRFModel.logProbability: argument 'tags' must have length ${T} (tokens), got ${tags.length}`);
    const Y = this.#Y;
    let s = 0;
    let prev = -1;
    tags.forEach((tag, t) => {
      const y = this.table.labelIndex.get(tag);
      if (y === undefined) throw new DomainError(`CRFModel.logProbability: unknown tag '${tag}' at [${t}]`);
      s += u[t * Y + y] + (prev >= 0 ? trans[prev * Y + y] : 0);
      prev = y;
    });
    return s - logZ;
  }

  /** Plain JSON; {@link CRFModel.fromJSON} reproduces every prediction bit for bit. */
  toJSON(): CRFJSON {
    return {
      kind: 'crf',
      version: 1,
      labels: [...this.labels],
      templates: { ...this.templates, prefixes: [...this.templates.prefixes], suffixes: [...this.templates.suffixes] },
      attributes: [...this.table.attrNames],
      attrStart: Array.from(this.table.attrStart),
      stateLabels: Array.from(this.table.stateLabel),
      weights: Array.from(this.weights),
    };
  }

  /**
   * Rebuilds (and validates) a model from {@link CRFModel.toJSON} output — also a way to build a CRF with chosen
   * weights (e.g. an HMM's log-probabilities).
   * @throws ShapeError/DomainError/NonFiniteError on inconsistent JSON.
   */
  static fromJSON(json: CRFJSON, templates?: FeatureTemplates): CRFModel {
    const where = 'CRFModel.fromJSON';
    if (json?.kind !== 'crf') throw new DomainError(`${where}: argument 'json' must have kind 'crf'`);
    const Y = json.labels.length;
    if (Y === 0) throw new ShapeError(`${where}: 'labels' must not be empty`);
    const A = json.attributes.length;
    if (json.attrStart.length !== A + 1) throw new ShapeError(`${where}: 'attrStart' must have length ${A + 1}, got ${json.attrStart.length}`);
    const nState = json.stateLabels.length;
    if (json.attrStart[0] !== 0 || json.attrStart[A] !== nState) throw new ShapeError(`${where}: 'attrStart' must run from 0 to ${nState}`);
    for (let a = 0; a <= A; a++) assertInteger(where, `attrStart[${a}]`, json.attrStart[a], 0, nState);
    for (let a = 0; a < A; a++) if (json.attrStart[a + 1] < json.attrStart[a]) throw new DomainError(`${where}: 'attrStart' must be non-decreasing`);
    assertUnique(where, 'labels', json.labels);
    assertUnique(where, 'attributes', json.attributes);
    for (let k = 0; k < nState; k++) assertInteger(where, `stateLabels[${k}]`, json.stateLabels[k], 0, Y - 1);
    if (json.weights.length !== nState + Y * Y) throw new ShapeError(`${where}: 'weights' must have length ${nState + Y * Y}, got ${json.weights.length}`);
    assertFinite(where, 'weights', json.weights);
    const tpl = resolveTemplates(where, templates ?? json.templates);
    const table: FeatureTable = {
      labels: [...json.labels],
      labelIndex: new Map(json.labels.map((l, i) => [l, i])),
      attrNames: [...json.attributes],
      attrIndex: new Map(json.attributes.map((a, i) => [a, i])),
      attrStart: Int32Array.from(json.attrStart),
      stateLabel: Int32Array.from(json.stateLabels),
      nState,
      nWeights: nState + Y * Y,
    };
    return new CRFModel(table, tpl, Float64Array.from(json.weights));
  }
}

function assertUnique(where: string, name: string, xs: readonly string[]): void {
  const seen = new Set<string>();
  xs.forEach((x, i) => {
    if (seen.has(x)) throw new DomainError(`${where}: '${name}' must be distinct; '${x}' repeats at [${i}]`);
    seen.add(x);
  });
}
