/**
 * The losses of prototypical contrastive learning (notes: 聚类 · Prototypical Contrastive Learning;
 * Li, Zhou, Xiong & Hoi 2021, "Prototypical Contrastive Learning of Unsupervised Representations").
 * Internal to `contrastive/`; differentiable autodiff computations on L2-normalised embeddings.
 */
import { ops, Tensor } from '@notes/core-linalg';

/** Rows scaled to unit L2 norm: v / sqrt(‖v‖² + 1e-12). Differentiable. */
export function l2Normalize(h: Tensor): Tensor {
  return ops.div(h, ops.sqrt(ops.add(ops.sum(ops.square(h), 1, true), 1e-12)));
}

/**
 * InfoNCE with in-batch negatives: for queries q_i and keys k_j (rows, unit norm),
 * $$\mathcal L = \frac1n\sum_i -\log\frac{\exp(q_i\cdot k_i/\tau)}{\sum_{j=1}^n \exp(q_i\cdot k_j/\tau)}.$$
 * The key of the same instance (another view) is the positive; the other n − 1 keys are negatives.
 */
export function infoNCELoss(q: Tensor, k: Tensor, temperature: number): Tensor {
  const n = q.shape[0] as number;
  const logits = ops.div(ops.matmul(q, ops.transpose(k)), temperature);
  const diag = Int32Array.from({ length: n }, (_, i) => i);
  return ops.neg(ops.mean(ops.gather(ops.logSoftmax(logits, 1), 1, diag)));
}

/**
 * One granularity's prototype term of ProtoNCE: with prototypes c_1…c_k (rows, unit norm), the cluster
 * s(i) of instance i and concentrations φ_j,
 * $$\mathcal L_{\text{proto}} = \frac1n\sum_i -\log\frac{\exp(q_i\cdot c_{s(i)}/\phi_{s(i)})}{\sum_{j=1}^{k}\exp(q_i\cdot c_j/\phi_j)}.$$
 * All k prototypes are used as negatives (the paper samples r of them).
 */
export function prototypeLoss(q: Tensor, prototypes: Tensor, assign: Int32Array, phi: Float64Array): Tensor {
  const k = prototypes.shape[0] as number;
  const logits = ops.div(ops.matmul(q, ops.transpose(prototypes)), new Tensor(phi, [k]));
  return ops.neg(ops.mean(ops.gather(ops.logSoftmax(logits, 1), 1, assign)));
}

/** Prototypes, assignments and concentrations of one k-means granularity. */
export interface PrototypeSet {
  /** Unit-norm centroids, k × d. */
  readonly prototypes: Tensor;
  /** Cluster of every training row. */
  readonly assign: Int32Array;
  /** Concentration φ_j of every cluster. */
  readonly phi: Float64Array;
}

/**
 * ProtoNCE (Li et al. 2021, eq. 11): $\mathcal L_{\text{InfoNCE}} + \frac1M\sum_{m=1}^M \mathcal L_{\text{proto}}^{(m)}$
 * over M granularities; `rows` picks each batch row's cluster out of the per-dataset assignments.
 * With no sets it is InfoNCE alone (the baseline).
 */
export function protoNCELoss(q: Tensor, k: Tensor, temperature: number, sets: readonly PrototypeSet[], rows: ArrayLike<number>): Tensor {
  let loss = infoNCELoss(q, k, temperature);
  if (sets.length === 0) return loss;
  let proto: Tensor | null = null;
  for (const set of sets) {
    const assign = Int32Array.from(rows, (r) => set.assign[r] as number);
    const term = prototypeLoss(q, set.prototypes, assign, set.phi);
    proto = proto === null ? term : ops.add(proto, term);
  }
  loss = ops.add(loss, ops.div(proto as Tensor, sets.length));
  return loss;
}
