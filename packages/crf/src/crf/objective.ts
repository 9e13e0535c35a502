import { DomainError, describeValue, NonFiniteError, ShapeError } from '@notes/core-linalg';
import { backwardLog, ChainWorkspace, forwardLog, nodeMarginals, pairwiseMarginals, ScaledWorkspace, scaledForwardBackward } from '../chain/index.js';
import { ExpectedCounts, fillUnary } from './expectedCounts.js';
import { checkEncoded, checkTable, type EncodedData, type FeatureTable } from './featureTable.js';

export { fillUnary };

/**
 * Empirical feature counts $\sum_n F_k(x_n, y_n)$ of the gold labels (state then transition features).
 * @throws DomainError/ShapeError on a malformed table or data (gold labels must all be known).
 */
export function empiricalCounts(table: FeatureTable, data: EncodedData): Float64Array {
  checkTable('empiricalCounts', table);
  checkEncoded('empiricalCounts', table, data, true);
  return countEmpirical(table, data);
}

function countEmpirical(table: FeatureTable, data: EncodedData): Float64Array {
  const Y = table.labels.length;
  const { attrStart, stateLabel, nState } = table;
  const { seqStart, tokStart, attrIds, labels } = data;
  const out = new Float64Array(table.nWeights);
  for (let s = 0; s + 1 < seqStart.length; s++) {
    for (let t = seqStart[s]; t < seqStart[s + 1]; t++) {
      const y = labels[t];
      for (let p = tokStart[t]; p < tokStart[t + 1]; p++) {
        const a = attrIds[p];
        for (let k = attrStart[a]; k < attrStart[a + 1]; k++) if (stateLabel[k] === y) out[k] += 1;
      }
      if (t > seqStart[s]) out[nState + labels[t - 1] * Y + y] += 1;
    }
  }
  return out;
}

/**
 * The L2-regularised negative conditional log-likelihood of a linear-chain CRF and its gradient
 * (Sutton & McCallum 2012, eq. 5.5–5.7):
 * $$f(\lambda) = -\sum_n \Big[\sum_k \lambda_k F_k(x_n, y_n) - \log Z(x_n)\Big] + \tfrac{c_2}{2}\lVert\lambda\rVert^2,\qquad
 * \frac{\partial f}{\partial \lambda_k} = \underbrace{\sum_n \mathbb E_{p(y\mid x_n)}[F_k]}_{\text{expected}} -
 * \underbrace{\sum_n F_k(x_n, y_n)}_{\text{empirical}} + c_2 \lambda_k.$$
 * Expectations come from the scaled forward–backward (`scaledForwardBackward`), falling back to the log-space
 * kernels for a sequence whose scaling underflows or whose scores span more than 300 nats. Buffers are allocated once (those of the full-data path on the
 * first full evaluation); later calls to `evaluate` allocate nothing.
 *
 * A full evaluation with the scaled kernel takes log Z and the expected counts from {@link ExpectedCounts}
 * (interned attribute segments; the same sums in a different order) and the gold scores as
 * $\sum_n \lambda\cdot F(x_n, y_n) = \lambda \cdot \text{empirical}$; the 'log' kernel and mini-batches use
 * the per-sentence path below. The empirical counts (at construction) and the segment index (at the first
 * full evaluation) are built from `encoded` and kept: the table and encoded data must not change after the
 * objective is constructed (build a new objective instead), and `evaluate` does not validate `w`/`grad` (lengths `table.nWeights`, finite
 * values) — it is the training kernel behind `fitCRF`, which validates its inputs.
 */
export class CRFObjective {
  readonly table: FeatureTable;
  readonly data: EncodedData;
  readonly l2: number;
  readonly empirical: Float64Array;
  readonly #ws: ChainWorkspace;
  readonly #sws: ScaledWorkspace;
  readonly #unary: Float64Array;
  readonly #marg: Float64Array;
  #full: ExpectedCounts | undefined;

  /** 'scaled' (default, fast) or 'log' (log-space kernels for every sequence; the reference path). */
  readonly kernel: 'scaled' | 'log';

  /**
   * @throws DomainError/ShapeError on a malformed table or data (validated once here, O(size)), `l2` not a finite
   * number ≥ 0, or an unknown kernel.
   */
  constructor(table: FeatureTable, data: EncodedData, l2: number, kernel: 'scaled' | 'log' = 'scaled') {
    const where = 'CRFObjective';
    checkTable(where, table);
    checkEncoded(where, table, data, true);
    if (typeof l2 !== 'number' || !Number.isFinite(l2) || l2 < 0) {
      throw new DomainError(`${where}: argument 'l2' must be a finite number >= 0, got ${describeValue(l2)}`);
    }
    if (kernel !== 'scaled' && kernel !== 'log') throw new DomainError(`${where}: argument 'kernel' must be 'scaled' or 'log', got ${describeValue(kernel)}`);
    this.kernel = kernel;
    this.table = table;
    this.data = data;
    this.l2 = l2;
    this.empirical = countEmpirical(table, data);
    const Y = table.labels.length;
    this.#ws = new ChainWorkspace(Y, data.maxLen);
    this.#sws = new ScaledWorkspace(Y, data.maxLen);
    this.#unary = new Float64Array(data.maxLen * Y);
    this.#marg = new Float64Array(data.maxLen * Y);
  }

  /**
   * Writes ∇f into `grad` and returns f(w). Only sequences `[s0, s1)` are used (default: all; for SGD).
   * @throws ShapeError when `w` or `grad` is not a Float64Array of length `table.nWeights`; DomainError for a bad
   * range; NonFiniteError for NaN/±Infinity in `w` (O(weights) checks, negligible next to the evaluation).
   */
  evaluate(w: Float64Array, grad: Float64Array, s0 = 0, s1 = this.data.seqStart.length - 1): number {
    checkEvaluateArgs(this.table.nWeights, this.data.seqStart.length - 1, w, grad, s0, s1);
    if (this.kernel === 'scaled' && s0 === 0 && s1 === this.data.seqStart.length - 1) return this.#evaluateFull(w, grad);
    const { table, data } = this;
    const Y = table.labels.length;
    const { attrStart, stateLabel, nState } = table;
    const { seqStart, tokStart, attrIds, labels } = data;
    const trans = w.subarray(nState);
    const gTrans = grad.subarray(nState);
    const ws = this.#ws;
    const sws = this.#sws;
    const unary = this.#unary;
    const marg = this.#marg;
    grad.fill(0);
    ws.setTransition(trans);
    let ll = 0;
    for (let s = s0; s < s1; s++) {
      const t0 = seqStart[s];
      const T = seqStart[s + 1] - t0;
      fillUnary(table, data, t0, t0 + T, w, unary);
      let gold = 0;
      for (let t = 0; t < T; t++) {
        gold += unary[t * Y + labels[t0 + t]];
        if (t > 0) gold += trans[labels[t0 + t - 1] * Y + labels[t0 + t]];
      }
      let logZ = this.kernel === 'scaled' ? scaledForwardBackward(unary, T, ws, sws, marg, gTrans) : Number.NaN;
      if (Number.isNaN(logZ)) {
        logZ = forwardLog(unary, trans, T, ws);
        backwardLog(unary, trans, T, ws);
        nodeMarginals(T, ws, marg);
        pairwiseMarginals(unary, T, ws, gTrans, true);
      }
      ll += gold - logZ;
      for (let t = 0; t < T; t++) {
        const base = t * Y;
        for (let p = tokStart[t0 + t]; p < tokStart[t0 + t + 1]; p++) {
          const a = attrIds[p];
          for (let k = attrStart[a]; k < attrStart[a + 1]; k++) grad[k] += marg[base + stateLabel[k]];
        }
      }
    }
    const full = s0 === 0 && s1 === seqStart.length - 1;
    const emp = this.empirical;
    const c2 = this.l2;
    let reg = 0;
    if (full) {
      for (let k = 0; k < w.length; k++) {
        grad[k] += c2 * w[k] - emp[k];
        reg += w[k] * w[k];
      }
    } else {
      // partial objective (SGD): empirical counts of the batch, regulariser scaled by the batch share
      subtractEmpirical(this, grad, s0, s1);
      const share = (seqStart[s1] - seqStart[s0]) / (seqStart[seqStart.length - 1] || 1);
      for (let k = 0; k < w.length; k++) {
        grad[k] += share * c2 * w[k];
        reg += share * w[k] * w[k];
      }
    }
    return -ll + 0.5 * c2 * reg;
  }

  /** Full-data evaluation with {@link ExpectedCounts} (built on first use); gold scores as λ·(empirical counts). */
  #evaluateFull(w: Float64Array, grad: Float64Array): number {
    this.#full ??= new ExpectedCounts(this.table, this.data);
    const logZ = this.#full.compute(w, grad);
    const emp = this.empirical;
    const c2 = this.l2;
    let reg = 0;
    let gold = 0;
    for (let k = 0; k < w.length; k++) {
      grad[k] += c2 * w[k] - emp[k];
      reg += w[k] * w[k];
      gold += w[k] * emp[k];
    }
    return logZ - gold + 0.5 * c2 * reg;
  }
}

function subtractEmpirical(o: CRFObjective, grad: Float64Array, s0: number, s1: number): void {
  const { table, data } = o;
  const Y = table.labels.length;
  const { attrStart, stateLabel, nState } = table;
  const { seqStart, tokStart, attrIds, labels } = data;
  for (let s = s0; s < s1; s++) {
    for (let t = seqStart[s]; t < seqStart[s + 1]; t++) {
      const y = labels[t];
      for (let p = tokStart[t]; p < tokStart[t + 1]; p++) {
        const a = attrIds[p];
        for (let k = attrStart[a]; k < attrStart[a + 1]; k++) if (stateLabel[k] === y) grad[k] -= 1;
      }
      if (t > seqStart[s]) grad[nState + labels[t - 1] * Y + y] -= 1;
    }
  }
}

function checkEvaluateArgs(n: number, nSeq: number, w: unknown, grad: unknown, s0: unknown, s1: unknown): void {
  const where = 'CRFObjective.evaluate';
  for (const [name, v] of [['w', w], ['grad', grad]] as const) {
    if (!(v instanceof Float64Array) || v.length !== n) {
      throw new ShapeError(`${where}: argument '${name}' must be a Float64Array of length ${n}, got ${describeValue(v)}`);
    }
  }
  if (w === grad) throw new DomainError(`${where}: arguments 'w' and 'grad' must be different arrays`);
  const x = w as Float64Array;
  for (let k = 0; k < n; k++) if (!Number.isFinite(x[k])) throw new NonFiniteError(`${where}: argument 'w' must be finite, got ${x[k]} at [${k}]`);
  if (!Number.isInteger(s0) || !Number.isInteger(s1) || (s0 as number) < 0 || (s1 as number) > nSeq || (s0 as number) >= (s1 as number)) {
    throw new DomainError(`${where}: arguments 's0', 's1' must be integers with 0 <= s0 < s1 <= ${nSeq}, got ${describeValue(s0)}, ${describeValue(s1)}`);
  }
}
