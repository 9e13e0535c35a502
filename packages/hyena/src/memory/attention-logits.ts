/**
 * The notes' [bos] experiment (记忆力; Chen et al. 2024, "HoPE"): a sequence starting with a [bos] token
 * followed by random tokens; the pre-softmax logits $\text{logits}_{i,j} = q_i^\top k_j$ of causal attention,
 * averaged over heads. Attention that "remembers" the start shows large logits in column 0.
 */
import { assertFinite, assertInteger, assertNonEmpty, assertShape, createRng, DomainError, type Rng } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

/** Query/key projections of one head: `Wq`, `Wk` are D×d_h matrices. */
export interface AttentionHead {
  Wq: Matrix;
  Wk: Matrix;
}

/** Options of {@link bosLogitProfile}. */
export interface BosExperimentOptions {
  /** Token embeddings, vocabulary × D; row `bosToken` is the [bos] embedding. */
  embeddings: Matrix;
  /** The heads whose logits are averaged. */
  heads: readonly AttentionHead[];
  /** Sequence length, [bos] included. */
  length: number;
  /** Id of the [bos] token. @defaultValue 0 */
  bosToken?: number;
  /** Adds a sinusoidal positional encoding to the embeddings. @defaultValue true */
  positional?: boolean;
  /** Generator for the random tokens. @defaultValue createRng(0) */
  rng?: Rng;
}

/** Sinusoidal positional encoding (Vaswani et al. 2017): PE[p, 2i] = sin(p/10000^{2i/D}), PE[p, 2i+1] = cos(...). */
export function sinusoidalEncoding(length: number, dim: number): Matrix {
  const pe = Matrix.zeros(length, dim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dim; i++) {
      const angle = p / 10000 ** ((2 * Math.floor(i / 2)) / dim);
      pe.set(p, i, i % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
    }
  }
  return pe;
}

/**
 * Runs the [bos] experiment: returns the tokens, the head-averaged causal logits (row i, columns j ≤ i;
 * NaN above the diagonal) and, per query position i, the logit to [bos] minus the mean logit over
 * j ≤ i (`bosExcess`).
 */
export function bosLogitProfile(options: BosExperimentOptions): {
  tokens: Int32Array;
  logits: Matrix;
  bosExcess: Float64Array;
} {
  const where = 'bosLogitProfile';
  const { embeddings, heads, length } = options;
  assertInteger(where, 'length', length, 2);
  if (heads.length === 0) throw new DomainError(`${where}: argument 'heads' must hold at least one head`);
  assertNonEmpty(where, 'embeddings', embeddings);
  assertFinite(where, 'embeddings', embeddings);
  const D = embeddings.columns;
  heads.forEach(({ Wq, Wk }, h) => {
    assertShape(where, `heads[${h}].Wq`, Wq, D, undefined);
    assertShape(where, `heads[${h}].Wk`, Wk, D, Wq.columns);
    assertFinite(where, `heads[${h}].Wq`, Wq);
    assertFinite(where, `heads[${h}].Wk`, Wk);
  });
  const vocab = embeddings.rows;
  const bos = options.bosToken ?? 0;
  assertInteger(where, 'bosToken', bos, 0, vocab - 1);
  const rng = options.rng ?? createRng(0);
  const tokens = new Int32Array(length);
  tokens[0] = bos;
  for (let i = 1; i < length; i++) {
    let tok = bos;
    while (tok === bos) tok = Math.floor(rng.uniform() * vocab);
    tokens[i] = tok;
  }
  let X = new Matrix(Array.from(tokens, (tok) => embeddings.getRow(tok)));
  if (options.positional ?? true) X = X.add(sinusoidalEncoding(length, embeddings.columns));
  const logits = Matrix.zeros(length, length);
  for (const { Wq, Wk } of heads) logits.add(X.mmul(Wq).mmul(X.mmul(Wk).transpose()).div(heads.length));
  const bosExcess = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    let mean = 0;
    for (let j = 0; j <= i; j++) mean += logits.get(i, j) / (i + 1);
    bosExcess[i] = logits.get(i, 0) - mean;
    for (let j = i + 1; j < length; j++) logits.set(i, j, Number.NaN);
  }
  return { tokens, logits, bosExcess };
}
