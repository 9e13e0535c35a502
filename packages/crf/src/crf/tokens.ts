import { assertNonEmpty, describeValue, ShapeError } from '@notes/core-linalg';

/** A tagged sentence: tokens and one tag per token. */
export interface TaggedSentence {
  tokens: readonly string[];
  tags: readonly string[];
}

/**
 * Validates tagged sentences: a non-empty array whose tokens are non-empty string arrays and (with `needTags`)
 * whose tags are strings of the same length.
 * @throws ShapeError naming the offending `data[n].tokens[t]` / `data[n].tags[t]`.
 */
export function checkSentences(where: string, data: readonly TaggedSentence[], needTags: boolean): void {
  if (!Array.isArray(data)) throw new ShapeError(`${where}: argument 'data' must be an array of { tokens, tags } sentences, got ${describeValue(data)}`);
  assertNonEmpty(where, 'data', data);
  for (let n = 0; n < data.length; n++) {
    const s = data[n] as TaggedSentence | undefined;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      throw new ShapeError(`${where}: argument 'data[${n}]' must be a { tokens, tags } sentence, got ${describeValue(s)}`);
    }
    checkTokens(where, s.tokens, `data[${n}].tokens`);
    if (needTags) {
      if (!Array.isArray(s.tags) || s.tags.length !== s.tokens.length) {
        throw new ShapeError(`${where}: argument 'data[${n}].tags' must have length ${s.tokens.length} (tokens), got ${Array.isArray(s.tags) ? s.tags.length : describeValue(s.tags)}`);
      }
      checkStrings(where, `data[${n}].tags`, s.tags);
    }
  }
}

/**
 * Validates one sentence's tokens: a non-empty array of strings.
 * @throws ShapeError naming `name` (and the offending index).
 */
export function checkTokens(where: string, tokens: readonly string[], name = 'tokens'): void {
  if (!Array.isArray(tokens)) throw new ShapeError(`${where}: argument '${name}' must be an array of strings, got ${describeValue(tokens)}`);
  if (tokens.length === 0) throw new ShapeError(`${where}: argument '${name}' must not be empty`);
  checkStrings(where, name, tokens);
}

function checkStrings(where: string, name: string, xs: readonly string[]): void {
  for (let t = 0; t < xs.length; t++) {
    if (typeof xs[t] !== 'string') throw new ShapeError(`${where}: argument '${name}[${t}]' must be a string, got ${t in xs ? describeValue(xs[t]) : 'a hole'}`);
  }
}

