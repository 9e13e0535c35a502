/**
 * The bad-input sweep of @notes/core-linalg (docs/conventions.md §8): every public export of the root
 * entry (functions, class constructors and statics, `ops.*`, `fromJSON`) is called on valid arguments,
 * then with each argument, the first element of each array argument (and of its first row) and each option
 * replaced by NaN, ±Infinity, null, a string, [], a ragged array, a hole, {}, −1, 1e300, 1e-300 and `true`,
 * one at a time. Every outcome must be a typed NotesError or a finite result; no input may be modified.
 * The cases and the exempt exports (each with its reason) are in bad-input.cases.ts. Writes
 * bad-input-results.json.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { describe, expect, test } from 'vitest';
import { cases, EXEMPT } from './bad-input.cases.js';
import * as core from './index.js';

describe('bad-input sweep of @notes/core-linalg', () => {
  test('every public export is covered by a case or listed as exempt', () => {
    expect(uncoveredExports(core as unknown as Record<string, unknown>, cases, EXEMPT)).toEqual([]);
  });

  test('0 untyped errors, 0 silent NaN/±Infinity, 0 mutated inputs', async () => {
    const only = process.env.SWEEP_ONLY ? new RegExp(process.env.SWEEP_ONLY) : undefined;
    const { counts, failures } = await sweepBadInputs(only ? cases.filter((c) => only.test(c.name)) : cases);
    const here = dirname(fileURLToPath(import.meta.url));
    if (!only) writeFileSync(
      join(here, '..', 'bad-input-results.json'),
      `${JSON.stringify({ package: '@notes/core-linalg', counts, exemptions: Object.keys(EXEMPT) }, null, 2)}\n`,
    );
    console.log(`core bad-input sweep: ${JSON.stringify(counts)}`);
    if (process.env.SWEEP_DUMP) writeFileSync(process.env.SWEEP_DUMP, JSON.stringify(failures, null, 1));
    expect(failures.slice(0, 40)).toEqual([]);
    expect(counts.untyped + counts.silent + counts.mutated).toBe(0);
  }, 120_000);
});
