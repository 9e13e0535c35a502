import { defineOptions, describeValue, ShapeError } from '@notes/core-linalg';
import { checkTokens } from '../crf/tokens.js';

/** One sentence read from CoNLL column format. */
export interface ConllSentence {
  tokens: string[];
  tags: string[];
  /** Every line's columns as read (line-major: `columns[t]` is line t); not the layout {@link formatConll} takes. */
  columns: string[][];
}

/** Options of {@link parseConll}. */
export interface ParseConllOptions {
  /** Column of the token. @defaultValue 0 */
  tokenColumn?: number;
  /** Column of the tag; negative counts from the end. @defaultValue -1 */
  tagColumn?: number;
}

const CONLL_OPTIONS = defineOptions<ParseConllOptions>()('parseConll', {
  tokenColumn: { type: 'integer', min: 0, default: 0, doc: 'column of the token' },
  tagColumn: { type: 'integer', default: -1, doc: 'column of the tag (negative: from the end)' },
});

/**
 * Parses CoNLL-style column text: one token per line, columns separated by white space, sentences separated by
 * blank lines; `-DOCSTART-` lines are skipped. Takes a string (no file access).
 * @throws ShapeError when a line has too few columns or the lines of a sentence differ in column count.
 */
export function parseConll(text: string, options: ParseConllOptions = {}): ConllSentence[] {
  const where = 'parseConll';
  if (typeof text !== 'string') throw new ShapeError(`${where}: argument 'text' must be a string, got ${describeValue(text)}`);
  const o = CONLL_OPTIONS.parse(options);
  const tokenColumn = o.tokenColumn;
  const tagColumn = o.tagColumn;
  const out: ConllSentence[] = [];
  let cur: string[][] = [];
  const flush = () => {
    if (cur.length === 0) return;
    const n = cur[0].length;
    const tc = tagColumn < 0 ? n + tagColumn : tagColumn;
    if (tokenColumn >= n || tc < 0 || tc >= n) throw new ShapeError(`${where}: sentence ${out.length + 1} has ${n} columns; token/tag columns ${tokenColumn}/${tagColumn} do not exist`);
    out.push({ tokens: cur.map((c) => c[tokenColumn]), tags: cur.map((c) => c[tc]), columns: cur });
    cur = [];
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0) {
      flush();
      continue;
    }
    if (line.startsWith('-DOCSTART-')) continue;
    const cols = line.split(/\s+/);
    if (cur.length > 0 && cols.length !== cur[0].length) {
      throw new ShapeError(`${where}: line ${i + 1} has ${cols.length} columns, the sentence's first line has ${cur[0].length}`);
    }
    cur.push(cols);
  }
  flush();
  return out;
}

/**
 * Writes sentences as CoNLL columns: the token, then each array of `columns` in order (put tags there; there is
 * no separate `tags` field), separated by `sep`; a blank line after each sentence. `columns` is column-major —
 * each entry has one value per token — unlike {@link ConllSentence.columns}, which holds the lines as read.
 * @example formatConll(parseConll(text).map((s) => ({ tokens: s.tokens, columns: [s.tags] }))) // token and tag
 * @throws ShapeError when a column's length differs from the tokens' or a token contains white space.
 */
export function formatConll(
  sentences: readonly { tokens: readonly string[]; columns?: readonly (readonly string[])[] }[],
  sep = ' ',
): string {
  const where = 'formatConll';
  if (!Array.isArray(sentences)) throw new ShapeError(`${where}: argument 'sentences' must be an array of { tokens, columns }, got ${describeValue(sentences)}`);
  if (typeof sep !== 'string') throw new ShapeError(`${where}: argument 'sep' must be a string, got ${describeValue(sep)}`);
  const lines: string[] = [];
  for (let n = 0; n < sentences.length; n++) {
    const s = sentences[n];
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new ShapeError(`${where}: argument 'sentences[${n}]' must be { tokens, columns }, got ${n in sentences ? describeValue(s) : 'a hole'}`);
    checkTokens(where, s.tokens, `sentences[${n}].tokens`);
    const cols = s.columns ?? [];
    if (!Array.isArray(cols)) throw new ShapeError(`${where}: argument 'sentences[${n}].columns' must be an array of string arrays, got ${describeValue(cols)}`);
    cols.forEach((c, k) => {
      if (!Array.isArray(c) || c.length !== s.tokens.length) {
        throw new ShapeError(`${where}: sentences[${n}].columns[${k}] must have length ${s.tokens.length}, got ${Array.isArray(c) ? c.length : describeValue(c)}`);
      }
      for (let t = 0; t < c.length; t++) {
        if (typeof c[t] !== 'string') throw new ShapeError(`${where}: argument 'sentences[${n}].columns[${k}][${t}]' must be a string, got ${t in c ? describeValue(c[t]) : 'a hole'}`);
      }
    });
    s.tokens.forEach((tok: string, t: number) => {
      if (/\s/.test(tok)) throw new ShapeError(`formatConll: token '${tok}' of sentence ${n} contains white space`);
      lines.push([tok, ...cols.map((c) => c[t])].join(sep));
    });
    lines.push('');
  }
  return lines.join('\n');
}
