import { describe, expect, test } from 'vitest';
import { DEFAULT_TEMPLATES } from './attributes.js';
import { buildFeatureTable, type TaggedSentence } from './featureTable.js';
import { trainPerceptron } from './perceptron.js';
import { fitCRF } from './train.js';

const toy: TaggedSentence[] = [
  { tokens: ['The', 'dog', 'runs'], tags: ['D', 'N', 'V'] },
  { tokens: ['a', 'cat', 'sleeps', 'here'], tags: ['D', 'N', 'V', 'R'] },
  { tokens: ['Dogs', 'run'], tags: ['N', 'V'] },
  { tokens: ['the', 'running', 'dog'], tags: ['D', 'A', 'N'] },
];
const sentence = ['the', 'cat', 'runs', 'here'];

describe('CRFModel owns its feature table', () => {
  test('writing into model.table changes neither the model nor a later read of model.table', () => {
    const m = fitCRF(toy, { l2: 0.1 });
    const before = m.predict(sentence);
    const json = JSON.stringify(m.toJSON());
    const t = m.table;
    t.attrStart.fill(0);
    t.stateLabel.fill(0);
    (t.attrIndex as Map<string, number>).clear();
    (t.labelIndex as Map<string, number>).clear();
    expect(m.predict(sentence)).toEqual(before);
    expect(JSON.stringify(m.toJSON())).toBe(json);
    expect(m.table.attrIndex.size).toBeGreaterThan(0);
    expect(Array.from(m.table.attrStart).some((v) => v > 0)).toBe(true);
  });

  test('a table passed to trainPerceptron and changed afterwards does not change the model', () => {
    const { table, encoded } = buildFeatureTable(toy, DEFAULT_TEMPLATES, 1);
    const m = trainPerceptron(table, encoded, { epochs: 3, seed: 1 });
    const before = m.predict(sentence);
    const json = JSON.stringify(m.toJSON());
    table.attrStart.fill(0);
    table.stateLabel.fill(0);
    (table.attrIndex as Map<string, number>).clear();
    expect(m.predict(sentence)).toEqual(before);
    expect(JSON.stringify(m.toJSON())).toBe(json);
  });
});
