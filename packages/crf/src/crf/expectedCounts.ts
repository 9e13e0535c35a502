import { backwardLog, ChainWorkspace, forwardLog, nodeMarginals, pairwiseMarginals, ScaledWorkspace, scaledExpectationsExp } from '../chain/index.js';
import type { EncodedData, FeatureTable } from './featureTable.js';
import { internSegments, type SegmentIndex } from './segments.js';

/**
 * Unary scores $u_t(y) = \sum_{a \in \mathrm{attrs}(x,t)} \lambda_{a,y}$ of tokens `[t0, t1)` of the encoded data
 * into `unary` (row-major, (t1−t0)×Y), from the state weights `w[0 .. nState)`.
 */
export function fillUnary(table: FeatureTable, data: EncodedData, t0: number, t1: number, w: Float64Array, unary: Float64Array): void {
  const Y = table.labels.length;
  const { tokStart, attrIds } = data;
  const { attrStart, stateLabel } = table;
  unary.fill(0, 0, (t1 - t0) * Y);
  for (let t = t0; t < t1; t++) {
    const base = (t - t0) * Y;
    for (let p = tokStart[t]; p < tokStart[t + 1]; p++) {
      const a = attrIds[p];
      for (let k = attrStart[a]; k < attrStart[a + 1]; k++) unary[base + stateLabel[k]] += w[k];
    }
  }
}

interface Scratch {
  ws: ChainWorkspace;
  sws: ScaledWorkspace;
  unary: Float64Array;
  marg: Float64Array;
  segExp: Float64Array;
  segMax: Float64Array;
  segGrad: Float64Array;
  rowExp: Float64Array;
  rowMax: Float64Array;
  rowGrad: Float64Array;
  outer: Float64Array;
}

/**
 * $\sum_n \log Z(x_n)$ and the expected feature counts $\sum_n \mathbb E_{p(y\mid x_n)}[F_k]$ over all encoded
 * sentences — the data part of the CRF objective and gradient (Sutton & McCallum 2012, eq. 5.6), organised
 * like CRFsuite's `crf1d_context` (exp'd state table, scaled α/β, marginals, expected counts) but over interned
 * attribute segments ({@link internSegments}):
 *
 * - $e^{u_t(y) - m_t} = e^{S_{\mathrm{seg}(t)}(y) - \max S} \prod_{a \in \mathrm{rest}(t)} e^{\lambda_{a,y} - \max_y \lambda_{a,\cdot}}$
 *   with $S_s(y) = \sum_{a \in s}\lambda_{a,y}$ ($\lambda_{a,y} = 0$ for pairs without a feature) and
 *   $m_t = \max S_{\mathrm{seg}(t)} + \sum_a \max_y \lambda_{a,y} \ge \max_y u_t(y)$: one exp per segment and label
 *   and per rest attribute and label each evaluation instead of one per token and label;
 * - scaled forward–backward on those rows (`scaledExpectationsExp`), falling back to the exact log-space kernels
 *   for a sentence whose scaling underflows, whose bound $m_t$ is loose by more than 69 nats (see `LOOSEST`), or whose
 *   exp'd rows and transitions span more than 300 nats (checked in `scaledExpectationsExp`);
 * - expected counts of local attributes summed per segment, $G_s(y) = \sum_{t:\,\mathrm{seg}(t)=s} p(y_t = y\mid x)$,
 *   and of rest attributes per attribute, then scattered to the weights once; transition counts as
 *   $e^{A_{ij} - \max A} \sum_t \hat\alpha_{t-1}(i) v_t(j)$.
 *
 * The sums are those of the per-token definition in a different order (equal up to rounding). Buffers are
 * allocated once; {@link ExpectedCounts.compute} allocates nothing.
 */
export class ExpectedCounts {
  readonly table: FeatureTable;
  readonly data: EncodedData;
  readonly segments: SegmentIndex;
  readonly #state: Scratch;

  constructor(table: FeatureTable, data: EncodedData) {
    this.table = table;
    this.data = data;
    const seg = internSegments(data);
    this.segments = seg;
    const Y = table.labels.length;
    this.#state = {
      ws: new ChainWorkspace(Y, data.maxLen),
      sws: new ScaledWorkspace(Y, data.maxLen),
      unary: new Float64Array(data.maxLen * Y),
      marg: new Float64Array(data.maxLen * Y),
      segExp: new Float64Array(seg.nSeg * Y),
      segMax: new Float64Array(seg.nSeg),
      segGrad: new Float64Array(seg.nSeg * Y),
      rowExp: new Float64Array(seg.nRow * Y),
      rowMax: new Float64Array(seg.nRow),
      rowGrad: new Float64Array(seg.nRow * Y),
      outer: new Float64Array(Y * Y),
    };
  }

  /** Overwrites `grad` (length nWeights) with the expected feature counts at weights `w`; returns $\sum_n \log Z(x_n)$. */
  compute(w: Float64Array, grad: Float64Array): number {
    const { table, data } = this;
    const st = this.#state;
    const Y = table.labels.length;
    const { attrStart, stateLabel, nState } = table;
    const { seqStart } = data;
    const { nSeg, segOf, segStart, segAttr, restStart, restRow, nRow, rowAttr } = this.segments;
    const trans = w.subarray(nState);
    const gTrans = grad.subarray(nState);
    const { ws, sws, marg } = st;
    const segExp = st.segExp;
    const segMax = st.segMax;
    const segGrad = st.segGrad;
    const rowExp = st.rowExp;
    const rowMax = st.rowMax;
    const rowGrad = st.rowGrad;
    const outer = st.outer;
    grad.fill(0);
    segExp.fill(0);
    segGrad.fill(0);
    rowExp.fill(0);
    rowGrad.fill(0);
    outer.fill(0);
    ws.setTransition(trans);
    // e^{score − max} of every segment's local score row and of every rest attribute's weight row
    for (let s = 0; s < nSeg; s++) {
      const base = s * Y;
      for (let p = segStart[s]; p < segStart[s + 1]; p++) {
        const a = segAttr[p];
        const k1 = attrStart[a + 1];
        for (let k = attrStart[a]; k < k1; k++) segExp[base + stateLabel[k]] += w[k];
      }
      segMax[s] = expRow(segExp, base, Y);
    }
    for (let r = 0; r < nRow; r++) {
      const a = rowAttr[r];
      const base = r * Y;
      const k1 = attrStart[a + 1];
      for (let k = attrStart[a]; k < k1; k++) rowExp[base + stateLabel[k]] = w[k];
      rowMax[r] = expRow(rowExp, base, Y);
    }
    let logZSum = 0;
    const nSeq = seqStart.length - 1;
    for (let s = 0; s < nSeq; s++) {
      const t0 = seqStart[s];
      const T = seqStart[s + 1] - t0;
      sws.ensure(T);
      const eu = sws.eu;
      const shift = sws.shift;
      // e^{u_t(y) − m_t} = e^{segment − max} · Π_rest e^{λ_{a,y} − max}, m_t = the sum of the maxima (≥ max_y u_t(y))
      let loose = false;
      for (let t = 0; t < T; t++) {
        const base = t * Y;
        const g = segOf[t0 + t];
        let m = 0;
        if (g >= 0) {
          for (let y = 0, q = g * Y; y < Y; y++) eu[base + y] = segExp[q + y];
          m = segMax[g];
        } else eu.fill(1, base, base + Y);
        const p1 = restStart[t0 + t + 1];
        let top = 0;
        for (let p = restStart[t0 + t]; p < p1; p++) {
          const r = restRow[p];
          top = 0;
          for (let y = 0, q = r * Y; y < Y; y++) {
            const x = eu[base + y] * rowExp[q + y];
            eu[base + y] = x;
            if (x > top) top = x;
          }
          m += rowMax[r];
        }
        shift[t] = m;
        // the largest entry is e^{−(m_t − max u_t)}; without rest rows it is the segment row's 1
        if (restStart[t0 + t] < p1 && !(top >= LOOSEST)) loose = true;
      }
      let logZ = loose ? Number.NaN : scaledExpectationsExp(T, ws, sws, marg, outer);
      if (Number.isNaN(logZ)) {
        const unary = st.unary;
        fillUnary(table, data, t0, t0 + T, w, unary);
        logZ = forwardLog(unary, trans, T, ws);
        backwardLog(unary, trans, T, ws);
        nodeMarginals(T, ws, marg);
        pairwiseMarginals(unary, T, ws, gTrans, true);
      }
      logZSum += logZ;
      for (let t = 0; t < T; t++) {
        const base = t * Y;
        const g = segOf[t0 + t];
        if (g >= 0) for (let y = 0, q = g * Y; y < Y; y++) segGrad[q + y] += marg[base + y];
        for (let p = restStart[t0 + t]; p < restStart[t0 + t + 1]; p++) {
          for (let y = 0, q = restRow[p] * Y; y < Y; y++) rowGrad[q + y] += marg[base + y];
        }
      }
    }
    for (let s = 0; s < nSeg; s++) {
      const base = s * Y;
      for (let p = segStart[s]; p < segStart[s + 1]; p++) {
        const a = segAttr[p];
        const k1 = attrStart[a + 1];
        for (let k = attrStart[a]; k < k1; k++) grad[k] += segGrad[base + stateLabel[k]];
      }
    }
    for (let r = 0; r < nRow; r++) {
      const a = rowAttr[r];
      const base = r * Y;
      const k1 = attrStart[a + 1];
      for (let k = attrStart[a]; k < k1; k++) grad[k] += rowGrad[base + stateLabel[k]];
    }
    const expA = ws.expTrans;
    for (let k = 0; k < Y * Y; k++) gTrans[k] += expA[k] * outer[k];
    return logZSum;
  }
}

/**
 * Smallest accepted $\max_y e^{u_t(y) - m_t} = e^{-(m_t - \max_y u_t(y))}$: the bound $m_t$ may be loose by at most
 * 69 nats, so every entry within 600 nats of its row's maximum stays a normal double (full precision); a looser
 * token (factors' maxima at different labels with huge weights) sends its sentence to the log-space kernels.
 */
const LOOSEST = 1e-30;

/** Replaces `x[o .. o+Y)` by $e^{x - \max x}$ and returns the max. */
function expRow(x: Float64Array, o: number, Y: number): number {
  let m = x[o];
  for (let y = 1; y < Y; y++) if (x[o + y] > m) m = x[o + y];
  for (let y = 0; y < Y; y++) x[o + y] = Math.exp(x[o + y] - m);
  return m;
}
