import { assertInteger, assertNonEmpty, ShapeError } from '@notes/core-linalg';
import type { ResolvedTemplates } from './attributes.js';
import { AttributeEncoder } from './encoder.js';

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
  /**
   * Per token, how many of its leading attribute ids are token-local (depend only on the token's word: bias,
   * identity, affixes, shape). Tokens with equal local lists share their scores in `CRFObjective`. Optional:
   * absent means none are known to be local.
   */
  local?: Int32Array;
}

/**
 * Validates tagged sentences: a non-empty array whose tokens are non-empty string arrays and (with `needTags`)
 * whose tags are strings of the same length.
 * @throws ShapeError naming the offending `data[n].tokens[t]` / `data[n].tags[t]`.
 */
export function checkSentences(where: string, data: readonly TaggedSentence[], needTags: boolean): void {
  if (!Array.isArray(data)) throw new ShapeError(`${where}: argument 'data' must be an array of { tokens, tags } sentences`);
  assertNonEmpty(where, 'data', data);
  data.forEach((s, n) => {
    checkTokens(where, s?.tokens, `data[${n}].tokens`);
    if (needTags) {
      if (!Array.isArray(s.tags) || s.tags.length !== s.tokens.length) {
        throw new ShapeError(`${where}: argument 'data[${n}].tags' must have length ${s.tokens.length} (tokens), got ${s.tags?.length}`);
      }
      checkStrings(where, `data[${n}].tags`, s.tags);
    }
  });
}

/**
 * Validates one sentence's tokens: a non-empty array of strings.
 * @throws ShapeError naming `name` (and the offending index).
 */
export function checkTokens(where: string, tokens: readonly string[], name = 'tokens'): void {
  if (!Array.isArray(tokens)) throw new ShapeError(`${where}: argument '${name}' must be an array of strings`);
  if (tokens.length === 0) throw new ShapeError(`${where}: argument '${name}' must not be empty`);
  checkStrings(where, name, tokens);
}

function checkStrings(where: string, name: string, xs: readonly string[]): void {
  for (let t = 0; t < xs.length; t++) {
    if (typeof xs[t] !== 'string') throw new ShapeError(`${where}: argument '${name}[${t}]' must be a string, got ${typeof xs[t]}`);
  }
}

/**
 * Builds the {@link FeatureTable} from training sentences — attributes seen at least `minCount` times and the
 * (attribute, label) pairs that co-occur in the data — and encodes those sentences in the same single pass over
 * the attribute strings (later work is numeric).
 */
export function buildFeatureTable(
  data: readonly TaggedSentence[],
  tpl: ResolvedTemplates,
  minCount: number,
): { table: FeatureTable; encoded: EncodedData } {
  assertInteger('buildFeatureTable', 'minCount', minCount, 1);
  const labels = [...new Set(data.flatMap((s) => s.tags))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const Y = labels.length;
  const prov = new Map<string, number>();
  const names: string[] = [];
  let cnt = new Int32Array(1024);
  const nTok = data.reduce((s, x) => s + x.tokens.length, 0);
  const seqStart = new Int32Array(data.length + 1);
  const tokStart = new Int32Array(nTok + 1);
  const gold = new Int32Array(nTok);
  const local = new Int32Array(nTok);
  let ids = new Int32Array(Math.max(16, nTok * 12));
  let n = 0;
  let tok = 0;
  let maxLen = 0;
  const encoder = new AttributeEncoder(tpl, (a) => {
    let id = prov.get(a);
    if (id === undefined) {
      id = names.length;
      prov.set(a, id);
      names.push(a);
    }
    return id;
  });
  data.forEach((s, i) => {
    seqStart[i] = tok;
    maxLen = Math.max(maxLen, s.tokens.length);
    let cur = -1;
    encoder.encode(s.tokens, (t, id, isLocal) => {
      while (cur < t) tokStart[tok + ++cur] = n;
      if (isLocal) local[tok + t]++;
      if (id >= cnt.length) {
        const c2 = new Int32Array(Math.max(cnt.length * 2, id + 1));
        c2.set(cnt);
        cnt = c2;
      }
      cnt[id]++;
      if (n === ids.length) {
        const bigger = new Int32Array(ids.length * 2);
        bigger.set(ids);
        ids = bigger;
      }
      ids[n++] = id;
    });
    while (cur < s.tokens.length - 1) tokStart[tok + ++cur] = n;
    for (let t = 0; t < s.tokens.length; t++) gold[tok + t] = labelIndex.get(s.tags[t]) as number;
    tok += s.tokens.length;
  });
  seqStart[data.length] = tok;
  tokStart[nTok] = n;
  // keep attributes seen ≥ minCount times; renumber and compact the encoded ids
  const remap = new Int32Array(names.length);
  const attrNames: string[] = [];
  for (let id = 0; id < names.length; id++) {
    if (cnt[id] >= minCount) {
      remap[id] = attrNames.length;
      attrNames.push(names[id]);
    } else remap[id] = -1;
  }
  let m = 0;
  for (let t = 0; t < nTok; t++) {
    const lo = tokStart[t];
    const hi = tokStart[t + 1];
    const localEnd = lo + local[t];
    tokStart[t] = m;
    let kept = 0;
    for (let p = lo; p < hi; p++) {
      if (remap[ids[p]] >= 0) {
        ids[m++] = remap[ids[p]];
        if (p < localEnd) kept++;
      }
    }
    local[t] = kept;
  }
  tokStart[nTok] = m;
  const attrIds = ids.slice(0, m);
  const A = attrNames.length;
  // observed (attribute, label) pairs, marked per attribute
  const seen = new Uint8Array(A * Y);
  for (let t = 0; t < nTok; t++) for (let p = tokStart[t]; p < tokStart[t + 1]; p++) seen[attrIds[p] * Y + gold[t]] = 1;
  const attrStart = new Int32Array(A + 1);
  let nState = 0;
  for (let a = 0; a < A; a++) {
    for (let y = 0; y < Y; y++) nState += seen[a * Y + y];
    attrStart[a + 1] = nState;
  }
  const stateLabel = new Int32Array(nState);
  let k = 0;
  for (let a = 0; a < A; a++) for (let y = 0; y < Y; y++) if (seen[a * Y + y]) stateLabel[k++] = y;
  const attrIndex = new Map(attrNames.map((a, i) => [a, i]));
  const table: FeatureTable = { labels, labelIndex, attrNames, attrIndex, attrStart, stateLabel, nState, nWeights: nState + Y * Y };
  return { table, encoded: { seqStart, tokStart, attrIds, labels: gold, maxLen, local } };
}

/** Encodes sentences against a table (unknown attributes are dropped; unknown tags become −1). */
export function encodeSentences(table: FeatureTable, tpl: ResolvedTemplates, data: readonly TaggedSentence[]): EncodedData {
  const nTok = data.reduce((s, x) => s + x.tokens.length, 0);
  const seqStart = new Int32Array(data.length + 1);
  const tokStart = new Int32Array(nTok + 1);
  const labels = new Int32Array(nTok);
  const local = new Int32Array(nTok);
  let ids = new Int32Array(Math.max(16, nTok * 16));
  let n = 0;
  let tok = 0;
  let maxLen = 0;
  const encoder = new AttributeEncoder(tpl, (a) => table.attrIndex.get(a) ?? -1);
  data.forEach((s, i) => {
    seqStart[i] = tok;
    maxLen = Math.max(maxLen, s.tokens.length);
    let cur = -1;
    encoder.encode(s.tokens, (t, id, isLocal) => {
      while (cur < t) {
        cur++;
        tokStart[tok + cur] = n;
      }
      if (isLocal) local[tok + t]++;
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
  return { seqStart, tokStart, attrIds: ids.slice(0, n), labels, maxLen, local };
}
