/**
 * Losses (means over all elements / rows), written with stable formulas.
 */
import { ops, shapeStr, type Tensor } from '../autodiff/index.js';
import { checkTensor } from '../autodiff/tensor.js';
import { DomainError, ShapeError, readVector } from '../errors/index.js';

function sameShape(where: string, a: Tensor, b: Tensor): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`${where}: prediction ${shapeStr(a.shape)} and target ${shapeStr(b.shape)} must have the same shape`);
  }
}

/** Labels must be integers in [0, C). */
function checkLabels(where: string, labels: ArrayLike<number>, C: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0 || v >= C) {
      throw new DomainError(`${where}: argument 'labels' must hold integers in [0, ${C}), got ${v} at index ${i}`);
    }
  }
}

/** Mean squared error $\frac1n\sum_i (\hat y_i - y_i)^2$. @throws ShapeError naming both shapes. */
export function mseLoss(pred: Tensor, target: Tensor): Tensor {
  checkTensor('mseLoss', 'pred', pred);
  checkTensor('mseLoss', 'target', target);
  sameShape('mseLoss', pred, target);
  return ops.mean(ops.square(ops.sub(pred, target)));
}

/**
 * Binary cross-entropy on logits, $\frac1n\sum_i \operatorname{softplus}(z_i) - y_i z_i$
 * ($= -y\log\sigma(z) - (1-y)\log(1-\sigma(z))$ without overflow). Targets in [0, 1].
 * @throws ShapeError naming both shapes.
 */
export function bceWithLogitsLoss(logits: Tensor, target: Tensor): Tensor {
  checkTensor('bceWithLogitsLoss', 'logits', logits);
  checkTensor('bceWithLogitsLoss', 'target', target);
  sameShape('bceWithLogitsLoss', logits, target);
  return ops.mean(ops.sub(ops.softplus(logits), ops.mul(target, logits)));
}

/**
 * Categorical cross-entropy on logits [N, C] with integer labels:
 * $-\frac1N\sum_n \log\operatorname{softmax}(z_n)_{y_n}$.
 * @throws ShapeError if logits are not [N, C] with N labels; DomainError for a label outside [0, C).
 */
export function crossEntropyWithLogitsLoss(logits: Tensor, labels: ArrayLike<number>): Tensor {
  checkTensor('crossEntropyWithLogitsLoss', 'logits', logits);
  readVector('crossEntropyWithLogitsLoss', 'labels', labels, { minLength: 0, allowNonFinite: true });
  if (logits.rank !== 2 || logits.shape[0] !== labels.length) {
    throw new ShapeError(`crossEntropyWithLogitsLoss: logits ${shapeStr(logits.shape)} must be [N, C] with N = ${labels.length} labels`);
  }
  checkLabels('crossEntropyWithLogitsLoss', labels, logits.shape[1]);
  return ops.neg(ops.mean(ops.gather(ops.logSoftmax(logits, 1), 1, labels)));
}

/**
 * Gaussian negative log-likelihood with a predicted log-variance,
 * $\frac1n\sum_i \tfrac12\big(\log 2\pi + s_i + (y_i - \mu_i)^2 e^{-s_i}\big)$, $s = \log\sigma^2$.
 * @throws ShapeError naming the shapes if they differ.
 */
export function gaussianNllLoss(mean: Tensor, logVar: Tensor, target: Tensor): Tensor {
  checkTensor('gaussianNllLoss', 'mean', mean);
  checkTensor('gaussianNllLoss', 'logVar', logVar);
  checkTensor('gaussianNllLoss', 'target', target);
  sameShape('gaussianNllLoss', mean, target);
  sameShape('gaussianNllLoss', logVar, target);
  const r2 = ops.square(ops.sub(target, mean));
  const terms = ops.add(ops.add(logVar, ops.mul(r2, ops.exp(ops.neg(logVar)))), Math.log(2 * Math.PI));
  return ops.mul(ops.mean(terms), 0.5);
}

/**
 * Share of rows whose largest logit is the label (no gradient; 0 for no rows).
 * @throws ShapeError if logits are not [N, C] with N labels; DomainError for a label outside [0, C).
 */
export function accuracy(logits: Tensor, labels: ArrayLike<number>): number {
  checkTensor('accuracy', 'logits', logits);
  readVector('accuracy', 'labels', labels, { minLength: 0, allowNonFinite: true });
  if (logits.rank !== 2 || logits.shape[0] !== labels.length) {
    throw new ShapeError(`accuracy: logits ${shapeStr(logits.shape)} must be [N, C] with N = ${labels.length} labels`);
  }
  checkLabels('accuracy', labels, logits.shape[1]);
  const [N, C] = logits.shape;
  let hits = 0;
  for (let n = 0; n < N; n++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (logits.data[n * C + c] > logits.data[n * C + best]) best = c;
    if (best === labels[n]) hits++;
  }
  return N === 0 ? 0 : hits / N;
}
