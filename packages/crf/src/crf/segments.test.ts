import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { resolveTemplates } from './attributes.js';
import { buildFeatureTable, type EncodedData, type TaggedSentence } from './featureTable.js';
import { internSegments } from './segments.js';

/** Token t's attribute ids as (segment ids ++ rest ids). */
function rebuilt(data: EncodedData, t: number): number[] {
  const ix = internSegments(data);
  const seg = ix.segOf[t] >= 0 ? [...ix.segAttr.subarray(ix.segStart[ix.segOf[t]], ix.segStart[ix.segOf[t] + 1])] : [];
  return [...seg, ...ix.restAttr.subarray(ix.restStart[t], ix.restStart[t + 1])];
}

describe('Linear CRF: training objective — interned token-local attribute segments', () => {
  test('segment ++ rest reproduces every token’s attribute list; equal local lists share one segment', () => {
    const rng = createRng(5);
    const nTok = 400;
    const tokStart = new Int32Array(nTok + 1);
    const local = new Int32Array(nTok);
    const ids: number[] = [];
    // local lists drawn from 7 "words", each a fixed id list of length 0–4; then 0–3 random other ids
    const words = Array.from({ length: 7 }, (_, w) => Array.from({ length: w % 5 }, (_, k) => 10 * w + k));
    const wordOf: number[] = [];
    for (let t = 0; t < nTok; t++) {
      tokStart[t] = ids.length;
      const w = Math.floor(rng.uniform() * 7);
      wordOf.push(w);
      ids.push(...words[w]);
      local[t] = words[w].length;
      const extra = Math.floor(rng.uniform() * 4);
      for (let k = 0; k < extra; k++) ids.push(100 + Math.floor(rng.uniform() * 50));
    }
    tokStart[nTok] = ids.length;
    const data: EncodedData = { seqStart: Int32Array.from([0, nTok]), tokStart, attrIds: Int32Array.from(ids), labels: new Int32Array(nTok), maxLen: nTok, local };
    const ix = internSegments(data);
    expect(ix.nSeg).toBe(5); // words 0 and 5 have empty local lists: no segment
    for (let t = 0; t < nTok; t++) {
      expect(rebuilt(data, t)).toEqual(ids.slice(tokStart[t], tokStart[t + 1]));
      expect(ix.segOf[t] < 0).toBe(words[wordOf[t]].length === 0);
      for (let u = 0; u < t; u++) if (ix.segOf[t] >= 0 && wordOf[u] === wordOf[t]) expect(ix.segOf[u]).toBe(ix.segOf[t]);
    }
    // a malformed `local` (longer than a token's list, negative) is clamped to the token's own list
    const bad = internSegments({ ...data, local: Int32Array.from(local, (n, t) => (t % 2 ? n + 9 : -3)) });
    for (let t = 0; t < nTok; t++) {
      const seg = bad.segOf[t] >= 0 ? [...bad.segAttr.subarray(bad.segStart[bad.segOf[t]], bad.segStart[bad.segOf[t] + 1])] : [];
      expect([...seg, ...bad.restAttr.subarray(bad.restStart[t], bad.restStart[t + 1])]).toEqual(ids.slice(tokStart[t], tokStart[t + 1]));
    }
    // without `local`, everything is rest
    const none = internSegments({ ...data, local: undefined });
    expect(none.nSeg).toBe(0);
    expect([...none.restAttr]).toEqual(ids);
  });

  test('the encoder marks bias and word attributes as local, neighbours and BOS/EOS not', () => {
    const data: TaggedSentence[] = [
      { tokens: ['the', 'dog', 'the'], tags: ['D', 'N', 'D'] },
      { tokens: ['dog'], tags: ['N'] },
    ];
    const { table, encoded } = buildFeatureTable(data, resolveTemplates('test', {}), 1);
    const ix = internSegments(encoded);
    expect(ix.nSeg).toBe(2); // 'the' and 'dog'
    expect(ix.segOf[0]).toBe(ix.segOf[2]);
    expect(ix.segOf[1]).toBe(ix.segOf[3]);
    const names = (t: number) => [...ix.restAttr.subarray(ix.restStart[t], ix.restStart[t + 1])].map((a) => table.attrNames[a]);
    expect(names(0).sort()).toEqual(['BOS', 'w[+1]=dog', 'w[-1]=<s>']);
    expect(names(3).sort()).toEqual(['BOS', 'EOS', 'w[+1]=</s>', 'w[-1]=<s>']);
    const segNames = [...ix.segAttr.subarray(ix.segStart[ix.segOf[1]], ix.segStart[ix.segOf[1] + 1])].map((a) => table.attrNames[a]);
    expect(segNames).toContain('b');
    expect(segNames).toContain('w=dog');
    expect(segNames).toContain('sh=x');
  });
});
