import { assertInteger, DomainError, describeValue, readVector, ShapeError } from '@notes/core-linalg';

/**
 * TnT's unknown-word model (Brants 2000, §2.3): tag distributions of word suffixes, learnt from rare training
 * words and combined by successive abstraction
 * $$P(t \mid l_{n-i+1..n}) = \frac{\hat P(t \mid l_{n-i+1..n}) + \theta\, P(t \mid l_{n-i+2..n})}{1 + \theta},\qquad
 * \theta = \sqrt{\tfrac{1}{s-1}\textstyle\sum_t (\hat P(t) - \bar P)^2},$$
 * with separate suffix tables per word class (capitalised, contains a digit, contains a hyphen, other), so the
 * class acts as a shape feature. The emission used by the tagger is $p(w \mid t) \propto P(t \mid \text{suffix})/P(t)$.
 */
export interface SuffixModelJSON {
  maxSuffix: number;
  theta: number;
  /** key (class + ':' + suffix) → count per tag. */
  counts: Record<string, number[]>;
  prior: number[];
}

/** The word class used to separate suffix tables. */
export function wordClass(w: string): string {
  if (typeof w !== 'string') throw new ShapeError(`wordClass: argument 'w' must be a string, got ${describeValue(w)}`);
  if (/\d/.test(w)) return 'D';
  if (w.includes('-')) return 'H';
  const c = w.charCodeAt(0);
  if (c >= 65 && c <= 90) return 'C';
  return 'L';
}

/** Builds suffix counts from (word, tag id, word frequency) triples of rare words. */
export function buildSuffixModel(
  rare: Iterable<{ word: string; tag: number; count: number }>,
  tagPrior: Float64Array,
  maxSuffix: number,
): SuffixModelJSON {
  const where = 'buildSuffixModel';
  const prior = readVector(where, 'tagPrior', tagPrior);
  const Y = prior.length;
  for (let t = 0; t < Y; t++) if (!(prior[t] > 0)) throw new DomainError(`${where}: argument 'tagPrior' must hold probabilities > 0, got ${prior[t]} at [${t}]`);
  assertInteger(where, 'maxSuffix', maxSuffix, 0, 20);
  if (typeof rare !== 'object' || rare === null || typeof (rare as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new ShapeError(`${where}: argument 'rare' must be an iterable of { word, tag, count }, got ${describeValue(rare)}`);
  }
  const items = [...rare];
  items.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || typeof r.word !== 'string') throw new ShapeError(`${where}: argument 'rare[${i}]' must be { word: string, tag, count }, got ${describeValue(r)}`);
    assertInteger(where, `rare[${i}].tag`, r.tag, 0, Y - 1);
    if (typeof r.count !== 'number' || !Number.isFinite(r.count) || r.count <= 0) throw new DomainError(`${where}: argument 'rare[${i}].count' must be a finite number > 0, got ${describeValue(r.count)}`);
  });
  rare = items;
  tagPrior = prior;
  const counts: Record<string, number[]> = {};
  for (const { word, tag, count } of rare) {
    const cls = wordClass(word);
    const lw = word.toLowerCase();
    for (let i = 0; i <= Math.min(maxSuffix, lw.length); i++) {
      const key = `${cls}:${lw.slice(lw.length - i)}`;
      let row = counts[key];
      if (!row) {
        row = new Array(Y).fill(0);
        counts[key] = row;
      }
      row[tag] += count;
    }
  }
  const mean = 1 / Y;
  let v = 0;
  for (const p of tagPrior) v += (p - mean) ** 2;
  const theta = Math.sqrt(v / Math.max(1, Y - 1));
  return { maxSuffix, theta, counts, prior: Array.from(tagPrior) };
}

/** Writes $\log P(t\mid \text{suffix}) - \log P(t)$ for an unknown word into `out[0..Y)`. */
export function unknownWordLogEmission(m: SuffixModelJSON, word: string, out: Float64Array, o: number): void {
  const Y = m.prior.length;
  const cls = wordClass(word);
  const lw = word.toLowerCase();
  // start from the class-only distribution (empty suffix), or the prior if the class was never seen
  const p = new Float64Array(Y);
  const base = m.counts[`${cls}:`];
  if (base) {
    const s = base.reduce((a, b) => a + b, 0);
    for (let t = 0; t < Y; t++) p[t] = (base[t] / s + m.theta * m.prior[t]) / (1 + m.theta);
  } else {
    for (let t = 0; t < Y; t++) p[t] = m.prior[t];
  }
  for (let i = 1; i <= Math.min(m.maxSuffix, lw.length); i++) {
    const row = m.counts[`${cls}:${lw.slice(lw.length - i)}`];
    if (!row) break;
    const s = row.reduce((a, b) => a + b, 0);
    for (let t = 0; t < Y; t++) p[t] = (row[t] / s + m.theta * p[t]) / (1 + m.theta);
  }
  for (let t = 0; t < Y; t++) out[o + t] = Math.log(p[t]) - Math.log(m.prior[t]);
}
