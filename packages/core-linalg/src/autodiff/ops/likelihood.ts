/**
 * Fused log-densities of latent-variable models: each is one op with a hand-written backward pass
 * instead of a chain of elementwise ops (one pass over the data each way, one temporary).
 */
import { ShapeError } from '../../errors/index.js';
import { isRecording, makeOutput } from '../tape.js';
import { shapeStr, type Tensor, checkTensor } from '../tensor.js';

/**
 * Bernoulli log-likelihood on logits, summed over the last axis:
 * $\sum_j x_j\ell_j - \operatorname{softplus}(\ell_j) = \sum_j \log p(x_j\mid\sigma(\ell_j))$ for $x\in\{0,1\}$
 * (for $x\in[0,1]$ the same cross-entropy form), with
 * $\operatorname{softplus}(\ell) = \max(\ell, 0) + \log(1 + e^{-|\ell|})$ (no overflow).
 * `logits` has shape [..., D] and `target` a trailing part of it (e.g. logits [k, B, D] and target [B, D]:
 * the target is repeated over the leading axes). Output: `logits.shape` without its last axis.
 * VJP: $\bar\ell_j = \bar y\,(x_j - \sigma(\ell_j))$, $\bar x_j = \sum \bar y\,\ell_j$ (summed over the repeats).
 * @throws ShapeError naming both shapes if `target`'s shape is not a trailing part of `logits`' shape (rank ≥ 1).
 * @example ops.bernoulliLogLikelihood(Tensor.fromArray([1, 0]), Tensor.fromArray([0, 0])).data // [2·log ½]
 */
export function bernoulliLogLikelihood(target: Tensor, logits: Tensor): Tensor {
  checkTensor('bernoulliLogLikelihood', 'target', target);
  checkTensor('bernoulliLogLikelihood', 'logits', logits);
  const rl = logits.rank;
  const rt = target.rank;
  let ok = rl >= 1 && rt >= 1 && rt <= rl;
  for (let i = 1; ok && i <= rt; i++) if (target.shape[rt - i] !== logits.shape[rl - i]) ok = false;
  if (!ok) {
    throw new ShapeError(
      `bernoulliLogLikelihood: target ${shapeStr(target.shape)} must be a trailing part of logits ${shapeStr(logits.shape)} (same last axis)`,
    );
  }
  const D = logits.shape[rl - 1];
  const rows = D === 0 ? 0 : logits.size / D;
  const tn = target.size;
  const l = logits.data;
  const x = target.data;
  const y = new Float64Array(rows);
  // σ(ℓ) saved for the backward pass (only when the op is recorded)
  const sig = new Float64Array(isRecording([target, logits]) ? logits.size : 0);
  const keep = sig.length > 0;
  let t0 = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * D;
    let acc = 0;
    for (let j = 0; j < D; j++) {
      const v = l[base + j];
      const e = Math.exp(-Math.abs(v));
      if (keep) {
        const inv = 1 / (1 + e);
        sig[base + j] = v >= 0 ? inv : e * inv;
      }
      acc += x[t0 + j] * v - Math.max(v, 0) - Math.log1p(e);
    }
    y[r] = acc;
    t0 += D;
    if (t0 >= tn) t0 = 0;
  }
  // The first backward sweep writes ℓ̄ over the saved σ(ℓ) (read just before, entry by entry) and hands that array
  // to the tape; a later sweep of the same tape (jacobian) recomputes σ(ℓ) by the same formula.
  let sigSpent = false;
  return makeOutput('bernoulliLogLikelihood', y, logits.shape.slice(0, -1), [target, logits], (g, needs) => {
    let gt: Float64Array | null = null;
    let gl: Float64Array | null = null;
    if (needs[1]) {
      const s = sigSpent ? sigmoidOf(l) : sig;
      sigSpent = true;
      gl = s;
      let o = 0;
      for (let r = 0; r < rows; r++) {
        const base = r * D;
        const gr = g[r];
        for (let j = 0; j < D; j++) gl[base + j] = gr * (x[o + j] - s[base + j]);
        o += D;
        if (o >= tn) o = 0;
      }
    }
    if (needs[0]) {
      gt = new Float64Array(tn);
      let o = 0;
      for (let r = 0; r < rows; r++) {
        const base = r * D;
        const gr = g[r];
        for (let j = 0; j < D; j++) gt[o + j] += gr * l[base + j];
        o += D;
        if (o >= tn) o = 0;
      }
    }
    return [gt, gl];
  }, true);
}

/** σ(ℓ) entrywise, as `bernoulliLogLikelihood`'s forward pass computes it (from e^{−|ℓ|}, no overflow). */
function sigmoidOf(l: Float64Array): Float64Array {
  const out = new Float64Array(l.length);
  for (let i = 0; i < l.length; i++) {
    const v = l[i];
    const e = Math.exp(-Math.abs(v));
    const inv = 1 / (1 + e);
    out[i] = v >= 0 ? inv : e * inv;
  }
  return out;
}

/**
 * $\mathrm{KL}\big(\mathcal N(\mu, \operatorname{diag} e^{v})\,\|\,\mathcal N(0, I)\big) = \tfrac12\sum_j(\mu_j^2 + e^{v_j} - 1 - v_j) \ge 0$,
 * summed over the last axis of `mean` and `logVar` (same shape [..., L]; output [...]).
 * VJP: $\bar\mu_j = \bar y\,\mu_j$, $\bar v_j = \tfrac12\bar y\,(e^{v_j} - 1)$.
 * @throws ShapeError naming both shapes if they differ or are scalars.
 * @example ops.diagGaussianKL(Tensor.fromArray([0, 0]), Tensor.fromArray([0, 0])).data // [0]
 */
export function diagGaussianKL(mean: Tensor, logVar: Tensor): Tensor {
  checkTensor('diagGaussianKL', 'mean', mean);
  checkTensor('diagGaussianKL', 'logVar', logVar);
  if (mean.rank < 1 || mean.rank !== logVar.rank || mean.shape.some((d, i) => d !== logVar.shape[i])) {
    throw new ShapeError(`diagGaussianKL: mean ${shapeStr(mean.shape)} and logVar ${shapeStr(logVar.shape)} must have the same shape of rank ≥ 1`);
  }
  const L = mean.shape[mean.rank - 1];
  const rows = L === 0 ? 0 : mean.size / L;
  const m = mean.data;
  const v = logVar.data;
  const ev = new Float64Array(mean.size);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    for (let j = r * L; j < (r + 1) * L; j++) {
      const e = Math.exp(v[j]);
      ev[j] = e;
      acc += m[j] * m[j] + e - 1 - v[j];
    }
    y[r] = 0.5 * acc;
  }
  return makeOutput('diagGaussianKL', y, mean.shape.slice(0, -1), [mean, logVar], (g, needs) => {
    let gm: Float64Array | null = null;
    let gv: Float64Array | null = null;
    if (needs[0]) {
      gm = new Float64Array(mean.size);
      for (let r = 0; r < rows; r++) for (let j = r * L; j < (r + 1) * L; j++) gm[j] = g[r] * m[j];
    }
    if (needs[1]) {
      gv = new Float64Array(mean.size);
      for (let r = 0; r < rows; r++) for (let j = r * L; j < (r + 1) * L; j++) gv[j] = 0.5 * g[r] * (ev[j] - 1);
    }
    return [gm, gv];
  }, true);
}
