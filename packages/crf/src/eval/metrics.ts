import { assertNonEmpty, describeValue, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';

/** Per-tag precision, recall and F1 (tokens). */
export interface TagScore {
  tag: string;
  precision: number;
  recall: number;
  f1: number;
  /** Gold tokens with this tag. */
  support: number;
}

/** Result of {@link evaluateTagging}. */
export interface TaggingReport {
  /** Correct tokens / tokens. */
  accuracy: number;
  tokens: number;
  correct: number;
  perTag: TagScore[];
  /** Tags in matrix order (sorted; gold ∪ predicted). */
  labels: string[];
  /** confusion[i][j] = tokens with gold labels[i] predicted as labels[j]. */
  confusion: Matrix;
}

function check(where: string, gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): void {
  for (const [name, xs] of [['gold', gold], ['pred', pred]] as const) {
    if (!Array.isArray(xs)) throw new ShapeError(`${where}: argument '${name}' must be an array of tag sequences, got ${describeValue(xs)}`);
  }
  assertNonEmpty(where, 'gold', gold);
  if (gold.length !== pred.length) throw new ShapeError(`${where}: argument 'pred' must have ${gold.length} sentences (gold), got ${pred.length}`);
  for (let n = 0; n < gold.length; n++) {
    for (const [name, xs] of [['gold', gold], ['pred', pred]] as const) {
      const s = xs[n];
      if (!Array.isArray(s)) throw new ShapeError(`${where}: argument '${name}[${n}]' must be an array of tags, got ${n in xs ? describeValue(s) : 'a hole'}`);
      checkTags(where, `${name}[${n}]`, s);
    }
    if (pred[n].length !== gold[n].length) throw new ShapeError(`${where}: argument 'pred[${n}]' must have length ${gold[n].length} (gold), got ${pred[n].length}`);
  }
}

function checkTags(where: string, name: string, tags: readonly unknown[]): void {
  for (let t = 0; t < tags.length; t++) {
    if (typeof tags[t] !== 'string') throw new ShapeError(`${where}: argument '${name}[${t}]' must be a string, got ${t in tags ? describeValue(tags[t]) : 'a hole'}`);
  }
}

const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/**
 * Token accuracy, per-tag precision/recall/F1 and the confusion matrix of predicted vs gold tag sequences.
 * @throws ShapeError when the sentence counts or lengths differ.
 */
export function evaluateTagging(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): TaggingReport {
  check('evaluateTagging', gold, pred);
  const labels = [...new Set([...gold.flat(), ...pred.flat()])].sort();
  const idx = new Map(labels.map((l, i) => [l, i]));
  const L = labels.length;
  const conf = new Matrix(L, L);
  let tokens = 0;
  let correct = 0;
  gold.forEach((g, n) => {
    g.forEach((tag, t) => {
      const i = idx.get(tag) as number;
      const j = idx.get(pred[n][t]) as number;
      conf.set(i, j, conf.get(i, j) + 1);
      tokens++;
      if (i === j) correct++;
    });
  });
  const perTag = labels.map((tag, i) => {
    let row = 0;
    let col = 0;
    for (let j = 0; j < L; j++) {
      row += conf.get(i, j);
      col += conf.get(j, i);
    }
    const tp = conf.get(i, i);
    const precision = col > 0 ? tp / col : 0;
    const recall = row > 0 ? tp / row : 0;
    return { tag, precision, recall, f1: f1(precision, recall), support: row };
  });
  return { accuracy: correct / tokens, tokens, correct, perTag, labels, confusion: conf };
}

/** A labelled span [start, end) of a given type. */
export interface Chunk {
  type: string;
  start: number;
  end: number;
}

/**
 * Chunks of a BIO/IOB sequence, following conlleval: `B-X` starts a chunk; `I-X` continues a chunk of type X
 * and starts one after `O` or a different type (IOB1 tolerance); `O` (or any tag without `B-`/`I-`) closes it.
 */
export function extractChunks(tags: readonly string[]): Chunk[] {
  if (!Array.isArray(tags)) throw new ShapeError(`extractChunks: argument 'tags' must be an array of strings, got ${describeValue(tags)}`);
  checkTags('extractChunks', 'tags', tags);
  const out: Chunk[] = [];
  let cur: Chunk | null = null;
  tags.forEach((tag, t) => {
    const m = /^([BI])-(.+)$/.exec(tag);
    if (!m) {
      if (cur) out.push(cur);
      cur = null;
      return;
    }
    const [, bi, type] = m;
    if (bi === 'B' || !cur || cur.type !== type) {
      if (cur) out.push(cur);
      cur = { type, start: t, end: t + 1 };
    } else {
      cur.end = t + 1;
    }
  });
  if (cur) out.push(cur);
  return out;
}

/** Result of {@link chunkF1}. */
export interface ChunkReport {
  precision: number;
  recall: number;
  f1: number;
  goldChunks: number;
  predictedChunks: number;
  correctChunks: number;
  /** Per chunk type. */
  perType: { type: string; precision: number; recall: number; f1: number; support: number }[];
}

/**
 * Chunk-level precision, recall and F1 (exact span and type match), as reported by CoNLL's conlleval.
 * @throws ShapeError when the sentence counts or lengths differ.
 */
export function chunkF1(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): ChunkReport {
  check('chunkF1', gold, pred);
  const stats = new Map<string, { g: number; p: number; c: number }>();
  const get = (t: string) => {
    let s = stats.get(t);
    if (!s) {
      s = { g: 0, p: 0, c: 0 };
      stats.set(t, s);
    }
    return s;
  };
  gold.forEach((g, n) => {
    const gc = extractChunks(g);
    const pc = extractChunks(pred[n]);
    const keys = new Set(gc.map((c) => `${c.type}|${c.start}|${c.end}`));
    for (const c of gc) get(c.type).g++;
    for (const c of pc) {
      get(c.type).p++;
      if (keys.has(`${c.type}|${c.start}|${c.end}`)) get(c.type).c++;
    }
  });
  let G = 0;
  let P = 0;
  let C = 0;
  const perType = [...stats.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([type, s]) => {
      G += s.g;
      P += s.p;
      C += s.c;
      const precision = s.p > 0 ? s.c / s.p : 0;
      const recall = s.g > 0 ? s.c / s.g : 0;
      return { type, precision, recall, f1: f1(precision, recall), support: s.g };
    });
  const precision = P > 0 ? C / P : 0;
  const recall = G > 0 ? C / G : 0;
  return { precision, recall, f1: f1(precision, recall), goldChunks: G, predictedChunks: P, correctChunks: C, perType };
}
