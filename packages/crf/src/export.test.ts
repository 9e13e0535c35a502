// The committed web export (scripts/export-tagger.ts → exports/brown-crf-tagger.json) must keep loading with the
// package's current CRFModel.fromJSON, and keep tagging the held-out Brown slice (test files only) well.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseBrown } from './corpus/index.js';
import { CRFModel } from './crf/index.js';
import { evaluateTagging } from './eval/index.js';

describe('web export of the Brown CRF tagger', () => {
  test('exports/brown-crf-tagger.json loads with CRFModel.fromJSON and tags the test slice at > 95 %', () => {
    const file = JSON.parse(readFileSync(new URL('../exports/brown-crf-tagger.json', import.meta.url), 'utf8'));
    expect(file).toMatchObject({ format: 'notes-crf-tagger', version: 1, modelKind: 'crf' });
    const model = CRFModel.fromJSON(file.model);
    const test_ = parseBrown(readFileSync(new URL('../fixtures/brown-slice-test.txt', import.meta.url), 'utf8'));
    const r = evaluateTagging(
      test_.map((s) => s.tags),
      test_.map((s) => model.predict(s.tokens)),
    );
    // the full test split gives 97.78 % (meta.exported.testAccuracy); this 4,604-token slice is a subset of it
    expect(r.accuracy).toBeGreaterThan(0.95);
    expect(model.predict(['The', 'jury', 'praised', 'the', 'administration', '.'])).toEqual(['DET', 'NOUN', 'VERB', 'DET', 'NOUN', '.']);
  });
});
