import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseBrown } from '../corpus/index.js';
import { fitCRF } from '../crf/index.js';
import { evaluateTagging } from '../eval/index.js';
import { fitHMMTagger, HMMTagger } from './hmmTagger.js';
import { unknownWordLogEmission, wordClass } from './suffixModel.js';

const read = (f: string) => parseBrown(readFileSync(new URL(`../../fixtures/${f}`, import.meta.url), 'utf8'));
const train = read('brown-slice-train.txt');
const test_ = read('brown-slice-test.txt');
const gold = test_.map((s) => s.tags);

describe('HMM / Linear CRF on a committed Brown slice (20k train / 4.6k test tokens)', () => {
  test('supervised HMM tagger with the suffix/shape unknown-word model', () => {
    const tagger = fitHMMTagger(train);
    const acc = evaluateTagging(gold, test_.map((s) => tagger.tag(s.tokens))).accuracy;
    // full Brown gives 96.45 % (bench/brown-accuracy.bench.ts); on this 2 % slice most test words are unknown
    // to the lexicon, so the figure is lower; 0.90 guards against regressions of the unknown-word model
    expect(acc).toBeGreaterThan(0.9);
    // posteriors are distributions whose argmax mostly agrees with Viterbi
    const post = tagger.posteriors(test_[1].tokens);
    const vit = tagger.tag(test_[1].tokens);
    let agree = 0;
    for (let t = 0; t < post.rows; t++) {
      const row = post.getRow(t);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      if (tagger.tags[row.indexOf(Math.max(...row))] === vit[t]) agree++;
    }
    expect(agree / post.rows).toBeGreaterThan(0.8);
    const again = HMMTagger.fromJSON(JSON.parse(JSON.stringify(tagger.toJSON())));
    expect(again.tag(test_[0].tokens)).toEqual(tagger.tag(test_[0].tokens));
  });

  test('the suffix model is a distribution over tags (Σ_t P(t|suffix) = 1)', () => {
    const tagger = fitHMMTagger(train);
    const m = tagger.toJSON().suffix;
    for (const w of ['blorfication', 'Zanzibarian', '1,234', 'well-known', 'x']) {
      const out = new Float64Array(m.prior.length);
      unknownWordLogEmission(m, w, out, 0);
      const total = Array.from(out).reduce((s, v, t) => s + Math.exp(v) * m.prior[t], 0);
      expect(total).toBeCloseTo(1, 12);
    }
    expect(wordClass('Paris')).toBe('C');
    expect(wordClass('1960s')).toBe('D');
  });

  test('CRF (L-BFGS, 30 iterations) beats the HMM on the slice', () => {
    const hmm = fitHMMTagger(train);
    const hmmAcc = evaluateTagging(gold, test_.map((s) => hmm.tag(s.tokens))).accuracy;
    const model = fitCRF(train, { maxIterations: 30 });
    const r = evaluateTagging(gold, test_.map((s) => model.predict(s.tokens)));
    expect(r.accuracy).toBeGreaterThan(hmmAcc);
    expect(r.accuracy).toBeGreaterThan(0.92);
  });

  test("words named like Object.prototype keys ('__proto__', 'constructor') are ordinary lexicon entries", () => {
    const data = [
      { tokens: ['__proto__', 'runs'], tags: ['V', 'N'] },
      { tokens: ['the', 'constructor', 'runs'], tags: ['D', 'N', 'V'] },
    ];
    const tagger = fitHMMTagger(data, { rareThreshold: 0 });
    const json = JSON.parse(JSON.stringify(tagger.toJSON()));
    expect(Object.keys(json.lexicon).sort()).toEqual(['__proto__', 'constructor', 'runs', 'the']);
    // a known word emits only its seen tags: '__proto__' was only ever V
    const vIndex = tagger.tags.indexOf('V');
    expect(tagger.posteriors(['__proto__']).get(0, vIndex)).toBe(1);
    expect(HMMTagger.fromJSON(json).posteriors(['__proto__']).get(0, vIndex)).toBe(1);
  });

  test('bad input is a typed error', () => {
    expect(() => fitHMMTagger([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitHMMTagger([{ tokens: ['a'], tags: [] }])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitHMMTagger(train).tag([])).toThrow(expect.objectContaining({ code: 'shape' }));
    // non-string tokens or tags are shape errors naming the argument (were TypeErrors / silently used as tags)
    const bad = (x: unknown[]) => x as string[];
    expect(() => fitHMMTagger([{ tokens: bad(['a', 2]), tags: ['D', 'N'] }])).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'data[0].tokens[1]'") }));
    expect(() => fitHMMTagger([{ tokens: ['a', 'b'], tags: bad(['D', 3]) }])).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'data[0].tags[1]'") }));
    const small = fitHMMTagger(train.slice(0, 5));
    // inconsistent JSON is refused up front instead of giving NaN scores or garbage tags
    const j = small.toJSON();
    const Y = j.tags.length;
    const word = Object.keys(j.lexicon)[0];
    expect(() => HMMTagger.fromJSON({ ...j, logTransition: j.logTransition.slice(1) })).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'logTransition'") }));
    expect(() => HMMTagger.fromJSON({ ...j, logStart: j.logStart.map(() => Number.NaN) })).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringContaining("'logStart'") }));
    expect(() => HMMTagger.fromJSON({ ...j, lexicon: { ...j.lexicon, [word]: [[Y], [0]] } })).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining(`lexicon`) }));
    expect(() => HMMTagger.fromJSON({ ...j, suffix: { ...j.suffix, prior: [1] } })).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'suffix.prior'") }));
    expect(() => small.tag(bad(['the', 5]))).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'tokens[1]'") }));
    expect(() => small.posteriors(bad([null]))).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringContaining("'tokens[0]'") }));
  });
});
