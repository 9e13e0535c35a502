import { assertInteger, assertNonEmpty, ShapeError } from '@notes/core-linalg';
import { forEachAttribute, type ResolvedTemplates } from './attributes.js';

/** A tagged sentence: tokens and one tag per token. */
export interface TaggedSentence {
  tokens: readonly string[];
  tags: readonly string[];
}

/**
 * The compact feature table: attributes are indexed by string; state features exist only for
 * (attribute, label) pairs seen in training (CRFsuite's default), stored CSR-style so that feature k of
 * attribute a is `k ∈ [attrStart[a], attrStart[a+1])` with label `stateLabel[k]`. Transition feature (i, j) has
 * weight index `nState + i·Y + j`.
 */
export interface FeatureTable {
  readonly labels: readonly string[];
  readonly labelIndex: ReadonlyMap<string, number>;
  readonly attrNames: readonly string[];
  readonly attrIndex: ReadonlyMap<string, number>;
  readonly attrStart: Int32Array;
  readonly stateLabel: Int32Array;
  readonly nState: number;
  /** nState + Y². */
  readonly nWeights: number;
}

/** Sentences encoded as attribute ids per token (Int32Array), ready for the training kernel. */
export interface EncodedData {
  /** Token offset of each sequence (length nSeq + 1). */
  seqStart: Int32Array;
  /** Offset into `attrIds` of each token (length nTokens + 1). */
  tokStart: Int32Array;
  attrIds: Int32Array;
  /** Gold label ids (−1 where the tag is unknown to the table). */
  labels: Int32Array;
  maxLen: number;
}

/** @internal validates sentences (non-empty, equal token/tag lengths). */
export function checkSentences(where: string, data: readonly TaggedSentence[], needTags: boolean): void {
  assertNonEmpty(where, 'data', data);
  data.forEach((s, n) => {
    if (!s || !Array.isArray(s.tokens)) throw new ShapeError(`${where}: argument 'data[${n}].tokens' must be an array of strings`);
    if (s.tokens.length === 0) throw new ShapeError(`${where}: argument 'data[${n}].tokens' must not be empty`);
    if (needTags && (!Array.isArray(s.tags) || s.tags.length !== s.tokens.length)) {
      throw new ShapeError(`${where}: argument 'data[${n}].tags' must have length ${s.tokens.length} (tokens), got ${s.tags?.length}`);
    }
  });
}

/**
 * Builds the {@link FeatureTable} from training sentences: attributes seen at least `minCount` times, and the
 * (attribute, label) pairs that co-occur in the data.
 */
export function buildFeatureTable(data: readonly TaggedSentence[], tpl: ResolvedTemplates, minCount: number): FeatureTable {
  assertInteger('buildFeatureTable', 'minCount', minCount, 1);
  const labels = [...new Set(data.flatMap((s) => s.tags))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const Y = labels.length;
  const counts = new Map<string, number>();
  for (const s of data) forEachAttribute(s.tokens, tpl, (_t, a) => counts.set(a, (counts.get(a) ?? 0) + 1));
  const attrNames: string[] = [];
  const attrIndex = new Map<string, number>();
  for (const [a, c] of counts) {
    if (c >= minCount) {
      attrIndex.set(a, attrNames.length);
      attrNames.push(a);
    }
  }
  const pairs = new Set<number>();
  for (const s of data) {
    forEachAttribute(s.tokens, tpl, (t, a) => {
      const id = attrIndex.get(a);
      if (id !== undefined) pairs.add(id * Y + (labelIndex.get(s.tags[t]) as number));
    });
  }
  const sorted = Float64Array.from(pairs).sort();
  const A = attrNames.length;
  const attrStart = new Int32Array(A + 1);
  const stateLabel = new Int32Array(sorted.length);
  for (let k = 0; k < sorted.length; k++) {
    const a = Math.floor(sorted[k] / Y);
    attrStart[a + 1]++;
    stateLabel[k] = sorted[k] - a * Y;
  }
  for (let a = 0; a < A; a++) attrStart[a + 1] += attrStart[a];
  return { labels, labelIndex, attrNames, attrIndex, attrStart, stateLabel, nState: sorted.length, nWeights: sorted.length + Y * Y };
}

/** Encodes sentences against a table (unknown attributes are dropped; unknown tags become −1). */
export function encodeSentences(table: FeatureTable, tpl: ResolvedTemplates, data: readonly TaggedSentence[]): EncodedData {
  const nTok = data.reduce((s, x) => s + x.tokens.length, 0);
  const seqStart = new Int32Array(data.length + 1);
  const tokStart = new Int32Array(nTok + 1);
  const labels = new Int32Array(nTok);
  let ids = new Int32Array(Math.max(16, nTok * 16));
  let n = 0;
  let tok = 0;
  let maxLen = 0;
  data.forEach((s, i) => {
    seqStart[i] = tok;
    maxLen = Math.max(maxLen, s.tokens.length);
    let cur = -1;
    forEachAttribute(s.tokens, tpl, (t, a) => {
      while (cur < t) {
        cur++;
        tokStart[tok + cur] = n;
      }
      const id = table.attrIndex.get(a);
      if (id === undefined) return;
      if (n === ids.length) {
        const bigger = new Int32Array(ids.length * 2);
        bigger.set(ids);
        ids = bigger;
      }
      ids[n++] = id;
    });
    while (cur < s.tokens.length - 1) {
      cur++;
      tokStart[tok + cur] = n;
    }
    for (let t = 0; t < s.tokens.length; t++) labels[tok + t] = s.tags ? (table.labelIndex.get(s.tags[t]) ?? -1) : -1;
    tok += s.tokens.length;
  });
  seqStart[data.length] = tok;
  tokStart[nTok] = n;
  return { seqStart, tokStart, attrIds: ids.slice(0, n), labels, maxLen };
}
