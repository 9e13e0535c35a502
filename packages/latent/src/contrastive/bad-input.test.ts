/**
 * Bad-input sweep of the contrastive exports (docs/conventions.md §8): every argument, first element and
 * option replaced by NaN, ±Infinity, null, strings, ragged/holey arrays, … must give a typed NotesError
 * or a finite result, never a silent NaN/Infinity or a mutated input.
 *
 * Results go to the package's `bad-input-results.contrastive.json`, which the package-wide sweep adds into
 * `bad-input-results.json`.
 */
import { writeFileSync } from 'node:fs';
import { sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { expect, test } from 'vitest';
import * as contrastive from './index.js';
import { adjustedMutualInfo, ContrastiveModel, fitProtoNCE, fitProtoNCEAsync, normalizedMutualInfo } from './index.js';

const X = () => [
  [0.1, 0.2, 0.3, 0.4],
  [1.0, -0.5, 0.2, 0.1],
  [-0.3, 0.7, 0.9, -1],
  [0.5, 0.5, -0.2, 0.3],
  [-1.2, 0.1, 0.4, 0.4],
  [0.9, -0.9, 0.0, 0.2],
];
const quick = () => ({ clusters: [2, 3], hiddenUnits: 4, embedDim: 2, epochs: 2, warmupEpochs: 1, batchSize: 3, noise: 0.1, maskProb: 0.1, seed: 1 });
const model = fitProtoNCE(X(), quick());
const json = () => JSON.parse(JSON.stringify(model.toJSON()));

const cases = [
  { name: 'fitProtoNCE', call: (x: unknown, o: unknown) => fitProtoNCE(x as number[][], o as never), args: () => [X(), quick()], options: 1 },
  { name: 'fitProtoNCEAsync', call: (x: unknown, o: unknown) => fitProtoNCEAsync(x as number[][], o as never), args: () => [X(), quick()], options: 1 },
  {
    name: 'fitProtoNCE (images)',
    export: 'fitProtoNCE',
    call: (x: unknown, o: unknown) => fitProtoNCE(x as number[][], o as never),
    args: () => [X(), { ...quick(), imageShape: [2, 2], maxShift: 1 }],
    options: 1,
  },
  { name: 'ContrastiveModel.fromJSON', export: 'ContrastiveModel', call: (j: unknown) => ContrastiveModel.fromJSON(j), args: () => [json()] },
  { name: 'ContrastiveModel.embed', export: 'ContrastiveModel', call: (x: unknown) => model.embed(x as number[][]), args: () => [X()] },
  { name: 'normalizedMutualInfo', call: (a: unknown, b: unknown) => normalizedMutualInfo(a as number[], b as number[]), args: () => [[0, 0, 1, 1, 2], [1, 1, 0, 2, 2]] },
  { name: 'adjustedMutualInfo', call: (a: unknown, b: unknown) => adjustedMutualInfo(a as number[], b as number[]), args: () => [[0, 0, 1, 1, 2], [1, 1, 0, 2, 2]] },
];

test('contrastive: bad-input sweep — 0 untyped, 0 silent NaN/Infinity, 0 mutated', async () => {
  expect(uncoveredExports(contrastive, cases, {})).toEqual([]);
  const { counts, failures } = await sweepBadInputs(cases);
  writeSection('contrastive', counts, []);
  expect(failures).toEqual([]);
  expect(counts.untyped + counts.silent + counts.mutated).toBe(0);
  expect(counts.total).toBeGreaterThan(300);
}, 60_000);

type Counts = Record<string, number>;

/**
 * Writes this sweep's counts to the package's `bad-input-results.contrastive.json`; the package-wide sweep
 * (`src/bad-input.test.ts`) adds them into `bad-input-results.json`.
 */
function writeSection(section: string, counts: Counts, exemptions: string[]): void {
  const file = new URL(`../../bad-input-results.${section}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ package: '@notes/latent', section, counts, exemptions }, null, 2)}\n`);
}
