/**
 * The notes' [bos] experiment (记忆力; Chen et al. 2024, "HoPE"): a sequence starting with a [bos] token
 * followed by random tokens; the pre-softmax logits $\text{logits}_{i,j} = q_i^\top k_j$ of causal attention,
 * averaged over heads. Attention that "remembers" the start shows large logits in column 0.
 */
import {
  assertInteger,
  checkMemory,
  DomainError,
  defineOptions,
  describeValue,
  type MatrixData,
  type Rng,
  readMatrix,
  resolveRng,
  ShapeError,
} from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { assertNoOverflow } from '../ssm/ssm.js';
import { MEMORY_RULE } from '../validate.js';

/** Query/key projections of one head: `Wq`, `Wk` are D×d_h matrices. */
export interface AttentionHead {
  Wq: MatrixData;
  Wk: MatrixData;
}

/** Options of {@link bosLogitProfile}. */
export interface BosExperimentOptions {
  /** Token embeddings, vocabulary × D; row `bosToken` is the [bos] embedding. */
  embeddings: MatrixData;
  /** The heads whose logits are averaged. */
  heads: readonly AttentionHead[];
  /** Sequence length, [bos] included. */
  length: number;
  /** Id of the [bos] token. @defaultValue 0 */
  bosToken?: number;
  /** Adds a sinusoidal positional encoding to the embeddings. @defaultValue true */
  positional?: boolean;
  /** Seed of the generator of the random tokens (instead of `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator for the random tokens (instead of `seed`). */
  rng?: Rng;
  /** Budget in bytes for the length × length logits. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const anyValue = { type: 'custom', expected: 'a value', check: () => true } as const;
const OPTIONS = defineOptions<BosExperimentOptions>()('bosLogitProfile', {
  embeddings: { ...anyValue, doc: 'token embeddings, vocabulary × D (required)' },
  heads: { type: 'custom', expected: 'an array of { Wq, Wk }', check: (v) => Array.isArray(v), doc: 'heads to average (required)' },
  length: { type: 'integer', min: 2, doc: 'sequence length with [bos] (required)' },
  bosToken: { type: 'integer', min: 0, default: 0, doc: 'id of the [bos] token' },
  positional: { type: 'boolean', default: true, doc: 'add a sinusoidal positional encoding' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of the random tokens' },
  rng: { type: 'rng', doc: 'generator of the random tokens' },
  maxMemoryBytes: MEMORY_RULE,
});

/**
 * Sinusoidal positional encoding (Vaswani et al. 2017): PE[p, 2i] = sin(p/10000^{2i/D}), PE[p, 2i+1] = cos(...).
 * @throws DomainError unless both sizes are positive integers; ResourceError for a table above 2 GiB.
 */
export function sinusoidalEncoding(length: number, dim: number): Matrix {
  assertInteger('sinusoidalEncoding', 'length', length, 1);
  assertInteger('sinusoidalEncoding', 'dim', dim, 1);
  checkMemory('sinusoidalEncoding', `the ${length}×${dim} encoding`, 8 * length * dim);
  const pe = Matrix.zeros(length, dim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < dim; i++) {
      const angle = p / 10000 ** ((2 * Math.floor(i / 2)) / dim);
      pe.set(p, i, i % 2 === 0 ? Math.sin(angle) : Math.cos(angle));
    }
  }
  return pe;
}

function toMatrix(where: string, name: string, value: unknown, rows?: number, columns?: number): Matrix {
  const m = readMatrix(where, name, value, { ...(rows !== undefined ? { rows } : {}), ...(columns !== undefined ? { columns } : {}) });
  return new Matrix(Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.columns, (i + 1) * m.columns))));
}

/**
 * Runs the [bos] experiment: returns the tokens, the head-averaged causal logits (row i, columns j ≤ i;
 * −Infinity above the diagonal, the masked entries that softmax sends to 0) and, per query position i, the
 * logit to [bos] minus the mean logit over j ≤ i (`bosExcess`). The tokens after [bos] are drawn uniformly
 * from the other ids with `seed` or `rng`.
 * @throws DomainError for a missing or bad option (closest name for an unknown one), no heads, or an
 *   overflow; ShapeError/NonFiniteError for malformed matrices (core's `readMatrix`); ResourceError when the
 *   length × length logits exceed `maxMemoryBytes`.
 */
export function bosLogitProfile(options: BosExperimentOptions): {
  tokens: Int32Array;
  logits: Matrix;
  bosExcess: Float64Array;
} {
  const where = 'bosLogitProfile';
  if (options === undefined || options === null) throw new DomainError(`${where}: argument 'options' is required`);
  const o = OPTIONS.parse(options);
  if (o.length === undefined) throw new DomainError(`${where}: option 'length' is required`);
  if (o.heads === undefined || o.heads.length === 0) throw new DomainError(`${where}: option 'heads' must hold at least one head`);
  const length = o.length;
  const embeddings = toMatrix(where, 'embeddings', o.embeddings);
  const D = embeddings.columns;
  const heads = o.heads.map((head, h) => {
    if (typeof head !== 'object' || head === null) throw new DomainError(`${where}: heads[${h}] must be { Wq, Wk }, got ${describeValue(head)}`);
    const Wq = toMatrix(where, `heads[${h}].Wq`, head.Wq, D);
    const Wk = toMatrix(where, `heads[${h}].Wk`, head.Wk, D, Wq.columns);
    return { Wq, Wk };
  });
  const vocab = embeddings.rows;
  if (vocab < 2) throw new ShapeError(`${where}: option 'embeddings' must have at least 2 rows ([bos] and one other token), got ${vocab}`);
  const bos = o.bosToken;
  assertInteger(where, 'bosToken', bos, 0, vocab - 1);
  checkMemory(where, `the ${length}×${length} logits`, 8 * length * length * 2, {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'a shorter length',
  });
  const rng = resolveRng(where, { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.rng !== undefined ? { rng: o.rng } : {}) }, 0);
  const tokens = new Int32Array(length);
  tokens[0] = bos;
  for (let i = 1; i < length; i++) {
    let tok = bos;
    while (tok === bos) tok = Math.floor(rng.uniform() * vocab);
    tokens[i] = tok;
  }
  let X = new Matrix(Array.from(tokens, (tok) => embeddings.getRow(tok)));
  if (o.positional) X = X.add(sinusoidalEncoding(length, D));
  const logits = Matrix.zeros(length, length);
  for (const { Wq, Wk } of heads) logits.add(X.mmul(Wq).mmul(X.mmul(Wk).transpose()).div(heads.length));
  assertNoOverflow(where, logits.to1DArray());
  const bosExcess = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    let mean = 0;
    for (let j = 0; j <= i; j++) mean += logits.get(i, j) / (i + 1);
    bosExcess[i] = logits.get(i, 0) - mean;
    for (let j = i + 1; j < length; j++) logits.set(i, j, Number.NEGATIVE_INFINITY);
  }
  assertNoOverflow(where, bosExcess);
  return { tokens, logits, bosExcess };
}
