/**
 * Bad-input sweep of the flows exports (docs/conventions.md §8): every argument, first element and
 * option replaced by NaN, ±Infinity, null, strings, ragged/holey arrays, … must give a typed NotesError
 * or a finite result, never a silent NaN/Infinity or a mutated input.
 *
 * Results go to the package's `bad-input-results.flows.json`, which the package-wide sweep adds into
 * `bad-input-results.json`.
 */
import { writeFileSync } from 'node:fs';
import { sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { expect, test } from 'vitest';
import * as flows from './index.js';
import { FlowModel, fitRealNVP, fitRealNVPAsync } from './index.js';

const X = () => [
  [0.1, 0.2],
  [1.0, -0.5],
  [-0.3, 0.7],
  [0.5, 0.5],
  [-1.2, 0.1],
  [0.9, -0.9],
];
const quick = () => ({ couplings: 2, hiddenUnits: 4, hiddenLayers: 1, epochs: 2, batchSize: 3, learningRate: 1e-2, seed: 1 });
const model = fitRealNVP(X(), quick());
const mixture = fitRealNVP(X(), { ...quick(), base: 'mixture', baseComponents: 2 });
const json = () => JSON.parse(JSON.stringify(model.toJSON()));

const cases = [
  { name: 'fitRealNVP', call: (x: unknown, o: unknown) => fitRealNVP(x as number[][], o as never), args: () => [X(), quick()], options: 1 },
  {
    name: 'fitRealNVP (mixture base)',
    export: 'fitRealNVP',
    call: (x: unknown, o: unknown) => fitRealNVP(x as number[][], o as never),
    args: () => [X(), { ...quick(), base: 'mixture', baseComponents: 2 }],
    options: 1,
  },
  {
    name: 'FlowModel.sample (mixture base)',
    export: 'FlowModel',
    call: (n: unknown, o: unknown) => mixture.sample(n as number, o as never),
    args: () => [5, { seed: 2 }],
    options: 1,
  },
  { name: 'fitRealNVPAsync', call: (x: unknown, o: unknown) => fitRealNVPAsync(x as number[][], o as never), args: () => [X(), quick()], options: 1 },
  { name: 'FlowModel.fromJSON', export: 'FlowModel', call: (j: unknown) => FlowModel.fromJSON(j), args: () => [json()] },
  { name: 'FlowModel.logProb', export: 'FlowModel', call: (x: unknown) => model.logProb(x as number[][]), args: () => [X()] },
  { name: 'FlowModel.forward', export: 'FlowModel', call: (x: unknown) => model.forward(x as number[][]), args: () => [X()] },
  { name: 'FlowModel.inverse', export: 'FlowModel', call: (z: unknown) => model.inverse(z as number[][]), args: () => [X()] },
  {
    name: 'FlowModel.sample',
    export: 'FlowModel',
    call: (n: unknown, o: unknown) => model.sample(n as number, o as never),
    args: () => [5, { seed: 2 }],
    options: 1,
  },
];

test('flows: bad-input sweep — 0 untyped, 0 silent NaN/Infinity, 0 mutated', async () => {
  expect(uncoveredExports(flows, cases, {})).toEqual([]);
  const { counts, failures } = await sweepBadInputs(cases);
  writeSection('flows', counts, []);
  expect(failures).toEqual([]);
  expect(counts.untyped + counts.silent + counts.mutated).toBe(0);
  expect(counts.total).toBeGreaterThan(300);
}, 60_000);

type Counts = Record<string, number>;

/**
 * Writes this sweep's counts to the package's `bad-input-results.flows.json`; the package-wide sweep
 * (`src/bad-input.test.ts`) adds them into `bad-input-results.json`.
 */
function writeSection(section: string, counts: Counts, exemptions: string[]): void {
  const file = new URL(`../../bad-input-results.${section}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ package: '@notes/latent', section, counts, exemptions }, null, 2)}\n`);
}
