import { assertInteger, DomainError, describeValue, ShapeError } from '@notes/core-linalg';
import { type AttributeSource, resolveTemplates } from './attributes.js';
import { checkSentences, type TaggedSentence } from './tokens.js';

export { checkSentences, checkTokens } from './tokens.js';
export type { TaggedSentence } from './tokens.js';
import { createEncoder } from './encoder.js';

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
 * Builds the {@link FeatureTable} from training sentences — attributes seen at least `minCount` times and the
 * (attribute, label) pairs that co-occur in the data — and encodes those sentences in the same single pass over
 * the attribute strings (later work is numeric).
 */
export function buildFeatureTable(
  data: readonly TaggedSentence[],
  source: AttributeSource,
  minCount: number,
  where = 'buildFeatureTable',
): { table: FeatureTable; encoded: EncodedData } {
  checkSentences(where, data, true);
  assertInteger(where, 'minCount', minCount, 1);
  const tpl = typeof source === 'function' ? source : resolveTemplates(where, source);
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
  const encoder = createEncoder(
    tpl,
    (a) => {
      let id = prov.get(a);
      if (id === undefined) {
        id = names.length;
        prov.set(a, id);
        names.push(a);
      }
      return id;
    },
    where,
  );
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

/**
 * Encodes sentences against a table (unknown attributes are dropped; unknown or missing tags become −1).
 * @throws ShapeError on bad sentences (tags optional); DomainError on a malformed table or templates.
 */
export function encodeSentences(table: FeatureTable, source: AttributeSource, data: readonly TaggedSentence[]): EncodedData {
  const where = 'encodeSentences';
  checkTable(where, table);
  checkSentences(where, data, false);
  const tpl = typeof source === 'function' ? source : resolveTemplates(where, source);
  const nTok = data.reduce((s, x) => s + x.tokens.length, 0);
  const seqStart = new Int32Array(data.length + 1);
  const tokStart = new Int32Array(nTok + 1);
  const labels = new Int32Array(nTok);
  const local = new Int32Array(nTok);
  let ids = new Int32Array(Math.max(16, nTok * 16));
  let n = 0;
  let tok = 0;
  let maxLen = 0;
  const encoder = createEncoder(tpl, (a) => table.attrIndex.get(a) ?? -1, where);
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
    const tags = Array.isArray(s.tags) && s.tags.length === s.tokens.length ? s.tags : undefined;
    for (let t = 0; t < s.tokens.length; t++) labels[tok + t] = tags ? (table.labelIndex.get(tags[t]) ?? -1) : -1;
    tok += s.tokens.length;
  });
  seqStart[data.length] = tok;
  tokStart[nTok] = n;
  return { seqStart, tokStart, attrIds: ids.slice(0, n), labels, maxLen, local };
}

const isInt32 = (v: unknown): v is Int32Array => v instanceof Int32Array;

/**
 * Validates a {@link FeatureTable} (from `buildFeatureTable` or a model): labels, attribute index, CSR offsets
 * non-decreasing from 0 to nState, state labels in range, nWeights = nState + Y².
 * @throws DomainError/ShapeError naming the bad field.
 */
export function checkTable(where: string, table: FeatureTable): void {
  if (typeof table !== 'object' || table === null) throw new DomainError(`${where}: argument 'table' must be a FeatureTable, got ${describeValue(table)}`);
  const { labels, attrStart, stateLabel, nState, nWeights, attrIndex, labelIndex, attrNames } = table;
  if (!Array.isArray(labels) || labels.length === 0 || !Array.isArray(attrNames) || !(attrIndex instanceof Map) || !(labelIndex instanceof Map)) {
    throw new DomainError(`${where}: argument 'table' must be a FeatureTable from buildFeatureTable (labels, attrNames, attrIndex, labelIndex)`);
  }
  if (!isInt32(attrStart) || !isInt32(stateLabel) || attrStart.length !== attrNames.length + 1) {
    throw new ShapeError(`${where}: argument 'table' must have Int32Array attrStart (attributes + 1 entries) and stateLabel`);
  }
  const Y = labels.length;
  if (nState !== stateLabel.length || nWeights !== nState + Y * Y || attrStart[0] !== 0 || attrStart[attrNames.length] !== nState) {
    throw new ShapeError(`${where}: argument 'table' is inconsistent (nState, nWeights, attrStart)`);
  }
  for (let a = 0; a < attrNames.length; a++) {
    if (attrStart[a + 1] < attrStart[a]) throw new DomainError(`${where}: argument 'table.attrStart' must be non-decreasing (at [${a + 1}])`);
  }
  for (let k = 0; k < nState; k++) {
    if (stateLabel[k] < 0 || stateLabel[k] >= Y) throw new DomainError(`${where}: argument 'table.stateLabel' must hold label ids in [0, ${Y}), got ${stateLabel[k]} at [${k}]`);
  }
}

/**
 * Validates {@link EncodedData} against a table: offsets non-decreasing and consistent, attribute ids in range,
 * gold labels in [−1, Y) (`needLabels`: in [0, Y)).
 * @throws DomainError/ShapeError naming the bad field.
 */
export function checkEncoded(where: string, table: FeatureTable, data: EncodedData, needLabels: boolean): void {
  checkTable(where, table);
  if (typeof data !== 'object' || data === null) throw new DomainError(`${where}: argument 'data' must be EncodedData, got ${describeValue(data)}`);
  const { seqStart, tokStart, attrIds, labels, maxLen, local } = data;
  if (!isInt32(seqStart) || !isInt32(tokStart) || !isInt32(attrIds) || !isInt32(labels) || (local !== undefined && !isInt32(local))) {
    throw new DomainError(`${where}: argument 'data' must be EncodedData from buildFeatureTable/encodeSentences (Int32Array fields)`);
  }
  const nSeq = seqStart.length - 1;
  const nTok = labels.length;
  if (nSeq < 1 || seqStart[0] !== 0 || seqStart[nSeq] !== nTok || tokStart.length !== nTok + 1 || tokStart[0] !== 0 || tokStart[nTok] !== attrIds.length) {
    throw new ShapeError(`${where}: argument 'data' has inconsistent offsets (seqStart, tokStart, attrIds, labels)`);
  }
  if (local !== undefined && local.length !== nTok) throw new ShapeError(`${where}: argument 'data.local' must have ${nTok} entries`);
  let longest = 0;
  for (let s = 0; s < nSeq; s++) {
    const T = seqStart[s + 1] - seqStart[s];
    if (T < 1) throw new ShapeError(`${where}: argument 'data.seqStart' must be increasing (empty sequence ${s})`);
    longest = Math.max(longest, T);
  }
  if (maxLen !== longest) throw new ShapeError(`${where}: argument 'data.maxLen' must be ${longest}, got ${describeValue(maxLen)}`);
  for (let t = 0; t < nTok; t++) {
    if (tokStart[t + 1] < tokStart[t]) throw new ShapeError(`${where}: argument 'data.tokStart' must be non-decreasing (at [${t + 1}])`);
    if (local !== undefined && (local[t] < 0 || local[t] > tokStart[t + 1] - tokStart[t])) throw new ShapeError(`${where}: argument 'data.local' out of range at [${t}]`);
  }
  const A = table.attrNames.length;
  for (let p = 0; p < attrIds.length; p++) {
    if (attrIds[p] < 0 || attrIds[p] >= A) throw new DomainError(`${where}: argument 'data.attrIds' must hold attribute ids in [0, ${A}), got ${attrIds[p]} at [${p}]`);
  }
  const Y = table.labels.length;
  const lo = needLabels ? 0 : -1;
  for (let t = 0; t < nTok; t++) {
    if (labels[t] < lo || labels[t] >= Y) throw new DomainError(`${where}: argument 'data.labels' must hold label ids in [${lo}, ${Y}), got ${labels[t]} at [${t}]`);
  }
}
