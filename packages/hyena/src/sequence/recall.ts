/**
 * The associative-recall task (Ba et al. 2016; H3, Fu et al. 2023; Hyena, Poli et al. 2023): a sequence of
 * key–value pairs drawn from a vocabulary with a per-sequence key → value map, then a query key that occurred
 * earlier; the target is its value. Solving it needs a lookup over the whole context.
 */
import { DomainError, defineOptions, describeValue, readLabels, type Rng, resolveRng, ShapeError, checkMemory } from '@notes/core-linalg';

/** Options of {@link associativeRecall}. */
export interface AssociativeRecallOptions {
  /** Number of key and value tokens V (keys are ids 0..⌊V/2⌋−1, values ⌊V/2⌋..V−1; [bos] is id V). */
  vocabulary: number;
  /** Model input length L (even, ≥ 4): [bos], L/2 − 1 key–value pairs, the query key. */
  length: number;
  /** Number of sequences. @defaultValue 1 */
  count?: number;
  /** Seed of the generator (instead of `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator (instead of `seed`). */
  rng?: Rng;
}

/** A set of associative-recall sequences. */
export interface AssociativeRecallData {
  /** Key and value tokens V; the model vocabulary is V + 1 (with [bos]). */
  readonly vocabulary: number;
  /** Id of the [bos] token (= V). */
  readonly bosToken: number;
  /** Model input length L. */
  readonly length: number;
  /**
   * Each sequence as L + 1 tokens: `[bos] k1 v1 … k_{P-1} v_{P-1} q a` with P = L/2; the model reads tokens
   * 0..L−1 and is trained to predict tokens 1..L (next token), the last one being the answer a.
   */
  readonly sequences: readonly Int32Array[];
  /** The query key of each sequence (token L − 1). */
  readonly queries: Int32Array;
  /** The answer of each sequence (token L, the value the query key was paired with). */
  readonly answers: Int32Array;
}

const OPTIONS = defineOptions<AssociativeRecallOptions>()('associativeRecall', {
  vocabulary: { type: 'integer', min: 4, max: 1_000_000, doc: 'number of key and value tokens (required)' },
  length: { type: 'integer', min: 4, doc: 'model input length, even (required)' },
  count: { type: 'integer', min: 1, default: 1, doc: 'number of sequences' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of the generator' },
  rng: { type: 'rng', doc: 'generator (instead of seed)' },
});

/**
 * Generates associative-recall sequences. Each sequence draws its own map from the ⌊V/2⌋ keys to the values
 * (keys may share values), presents L/2 − 1 keys drawn uniformly with replacement, each followed by its value,
 * and ends with the key of a uniformly drawn presented pair as the query (so keys that occur more often are
 * queried more often); its answer is unique because the map is fixed within the sequence.
 * @throws DomainError for a missing, odd or out-of-range size, an unknown option (closest name given), or both
 *   `seed` and `rng`; ResourceError when the sequences would exceed 2 GiB.
 * @example const d = associativeRecall({ vocabulary: 20, length: 64, count: 100, seed: 1 });
 */
export function associativeRecall(options: AssociativeRecallOptions): AssociativeRecallData {
  const where = 'associativeRecall';
  if (options === undefined || options === null) throw new DomainError(`${where}: argument 'options' is required ({ vocabulary, length, ... })`);
  const o = OPTIONS.parse(options);
  if (o.vocabulary === undefined) throw new DomainError(`${where}: option 'vocabulary' is required`);
  if (o.length === undefined) throw new DomainError(`${where}: option 'length' is required`);
  if (o.length % 2 !== 0) throw new DomainError(`${where}: option 'length' must be even ([bos], pairs, query), got ${o.length}`);
  checkMemory(where, `${o.count} sequences of ${o.length + 1} tokens`, 4 * o.count * (o.length + 1), { alternative: 'fewer or shorter sequences' });
  const rng = resolveRng(where, { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.rng !== undefined ? { rng: o.rng } : {}) }, 0);
  const V = o.vocabulary;
  const L = o.length;
  const keys = Math.floor(V / 2);
  const values = V - keys;
  const pairs = L / 2 - 1;
  const draw = (n: number) => Math.min(n - 1, Math.floor(rng.uniform() * n));
  const sequences: Int32Array[] = [];
  const queries = new Int32Array(o.count);
  const answers = new Int32Array(o.count);
  const map = new Int32Array(keys);
  for (let s = 0; s < o.count; s++) {
    for (let k = 0; k < keys; k++) map[k] = keys + draw(values);
    const seq = new Int32Array(L + 1);
    seq[0] = V;
    for (let p = 0; p < pairs; p++) {
      const k = draw(keys);
      seq[1 + 2 * p] = k;
      seq[2 + 2 * p] = map[k] as number;
    }
    const q = seq[1 + 2 * draw(pairs)] as number;
    seq[L - 1] = q;
    seq[L] = map[q] as number;
    queries[s] = q;
    answers[s] = map[q] as number;
    sequences.push(seq);
  }
  return Object.freeze({ vocabulary: V, bosToken: V, length: L, sequences: Object.freeze(sequences), queries, answers });
}

/**
 * The answer of one associative-recall sequence found by lookup: the value that followed the query key
 * (token L − 1) among the pairs. Independent of the generator's bookkeeping (used to check it).
 * @param sequence - L tokens (the model input) or L + 1 (the answer last, ignored).
 * @throws ShapeError/DomainError for a malformed sequence; DomainError when the query never occurred or the
 *   pairs give it two different values (no unique answer).
 */
export function associativeRecallAnswer(sequence: ArrayLike<number>): number {
  const where = 'associativeRecallAnswer';
  const seq = readLabels(where, 'sequence', sequence, { minLength: 4 });
  const L = seq.length % 2 === 0 ? seq.length : seq.length - 1;
  const query = seq[L - 1] as number;
  let answer: number | undefined;
  for (let i = 1; i + 1 < L - 1; i += 2) {
    if (seq[i] !== query) continue;
    const v = seq[i + 1] as number;
    if (answer !== undefined && answer !== v) {
      throw new DomainError(`${where}: the query key ${query} is paired with two values (${answer} and ${v}); no unique answer`);
    }
    answer = v;
  }
  if (answer === undefined) throw new DomainError(`${where}: the query key ${describeValue(query)} does not occur among the pairs`);
  return answer;
}

/**
 * Checks sequences for {@link fitSequenceModel}: lengths ≥ 2 (equal unless `mixedLengths`), integer tokens in
 * [0, vocabulary). @internal
 */
export function readSequences(where: string, name: string, data: unknown, vocabulary?: number, mixedLengths = false): { sequences: Int32Array[]; vocabulary: number } {
  const raw = (data as { sequences?: unknown })?.sequences !== undefined && !Array.isArray(data) ? (data as { sequences: unknown }).sequences : data;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ShapeError(`${where}: argument '${name}' must be a non-empty array of token sequences (or associativeRecall data), got ${describeValue(raw)}`);
  }
  const sequences: Int32Array[] = [];
  let max = 0;
  for (let i = 0; i < raw.length; i++) {
    if (!(i in raw)) throw new ShapeError(`${where}: argument '${name}' has a hole at [${i}]`);
    const s = readLabels(where, `${name}[${i}]`, raw[i], { minLength: 2, ...(vocabulary !== undefined ? { classes: vocabulary } : {}) });
    if (!mixedLengths && i > 0 && s.length !== (sequences[0] as Int32Array).length) {
      throw new ShapeError(`${where}: argument '${name}' must hold sequences of equal length, [0] has ${(sequences[0] as Int32Array).length}, [${i}] has ${s.length}`);
    }
    for (const t of s) if (t > max) max = t;
    sequences.push(s);
  }
  return { sequences, vocabulary: vocabulary ?? max + 1 };
}
