import type { EncodedData } from './featureTable.js';

/**
 * The attribute lists of encoded tokens split into a shared and a per-token part. Token t's attributes are
 * the segment `segOf[t]` (its leading token-local ids, `EncodedData.local`; −1 = none) followed by its own
 * remaining ids `restAttr[restStart[t] .. restStart[t+1])`. Equal local lists (the same word at different
 * positions) are interned to one segment, so a sum over tokens of a function of the local attributes becomes a
 * sum over the far fewer segments: on the Brown training set, 1,045,389 tokens share ≈ 50k segments.
 */
export interface SegmentIndex {
  /** Number of distinct segments. */
  readonly nSeg: number;
  /** Segment of each token (−1 when the token has no local attributes). */
  readonly segOf: Int32Array;
  /** Offsets of each segment's attribute ids in `segAttr` (length nSeg + 1). */
  readonly segStart: Int32Array;
  readonly segAttr: Int32Array;
  /** Offsets of each token's remaining (non-local) attribute ids in `restAttr` (length nTokens + 1). */
  readonly restStart: Int32Array;
  readonly restAttr: Int32Array;
  /** Number of distinct attributes among the remaining ids ("rest rows"). */
  readonly nRow: number;
  /** Rest row of each entry of `restAttr` (rows numbered by first occurrence). */
  readonly restRow: Int32Array;
  /** Attribute id of each rest row. */
  readonly rowAttr: Int32Array;
}

/**
 * Interns the token-local leading attribute lists of `data` (open-addressing hash on the id lists; equal lists,
 * in the same order, get the same segment). Without `data.local` every token gets segment −1 and all of its ids
 * are "rest".
 */
export function internSegments(data: EncodedData): SegmentIndex {
  const { tokStart, attrIds, local } = data;
  const nTok = tokStart.length - 1;
  const segOf = new Int32Array(nTok).fill(-1);
  // leading local count of each token, clamped to its list (a malformed `local` cannot reach other tokens)
  const nLocal = new Int32Array(nTok);
  let localTotal = 0;
  if (local) {
    for (let t = 0; t < nTok; t++) {
      nLocal[t] = Math.max(0, Math.min(local[t] | 0, tokStart[t + 1] - tokStart[t]));
      localTotal += nLocal[t];
    }
  }
  const restStart = new Int32Array(nTok + 1);
  const restAttr = new Int32Array(attrIds.length - localTotal);
  let size = 16;
  while (size < 2 * nTok) size *= 2;
  const slots = new Int32Array(size).fill(-1);
  let nSeg = 0;
  const segStart: number[] = [0];
  const segAttr: number[] = [];
  let r = 0;
  for (let t = 0; t < nTok; t++) {
    const lo = tokStart[t];
    const n = nLocal[t];
    if (n > 0) {
      let h = 0x811c9dc5 ^ n;
      for (let p = lo; p < lo + n; p++) h = Math.imul(h ^ attrIds[p], 0x01000193);
      h ^= h >>> 15;
      let slot = h & (size - 1);
      for (;;) {
        const s = slots[slot];
        if (s < 0) {
          slots[slot] = nSeg;
          segOf[t] = nSeg++;
          for (let p = lo; p < lo + n; p++) segAttr.push(attrIds[p]);
          segStart.push(segAttr.length);
          break;
        }
        if (sameList(attrIds, lo, n, segAttr, segStart[s], segStart[s + 1])) {
          segOf[t] = s;
          break;
        }
        slot = (slot + 1) & (size - 1);
      }
    }
    restStart[t] = r;
    for (let p = lo + n; p < tokStart[t + 1]; p++) restAttr[r++] = attrIds[p];
  }
  restStart[nTok] = r;
  let maxId = -1;
  for (let p = 0; p < restAttr.length; p++) if (restAttr[p] > maxId) maxId = restAttr[p];
  const rowOf = new Int32Array(maxId + 1).fill(-1);
  const restRow = new Int32Array(restAttr.length);
  const rowAttr: number[] = [];
  for (let p = 0; p < restAttr.length; p++) {
    const a = restAttr[p];
    if (rowOf[a] < 0) {
      rowOf[a] = rowAttr.length;
      rowAttr.push(a);
    }
    restRow[p] = rowOf[a];
  }
  return {
    nRow: rowAttr.length,
    restRow,
    rowAttr: Int32Array.from(rowAttr),
    nSeg,
    segOf,
    segStart: Int32Array.from(segStart),
    segAttr: Int32Array.from(segAttr),
    restStart,
    restAttr,
  };
}

function sameList(x: Int32Array, lo: number, n: number, seg: readonly number[], s0: number, s1: number): boolean {
  if (s1 - s0 !== n) return false;
  for (let i = 0; i < n; i++) if (x[lo + i] !== seg[s0 + i]) return false;
  return true;
}
