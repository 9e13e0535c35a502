import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { brownSplit, parseBrown } from './brown.js';
import { baseBrownTag, brownToUniversal, UNIVERSAL_TAGS } from './universal.js';

const slice = readFileSync(new URL('../../fixtures/brown-slice-train.txt', import.meta.url), 'utf8');

describe('HMM / Linear CRF data: Brown corpus parsing and tag mapping', () => {
  test('parses word/tag tokens, one sentence per line, in three tag sets', () => {
    const text = '\n\n\tThe/at Fulton/np-tl County/nn-tl said/vbd ./.\n\n\tHe/pps isn\'t/bez* here/rn ./.\n';
    const u = parseBrown(text);
    expect(u).toEqual([
      { tokens: ['The', 'Fulton', 'County', 'said', '.'], tags: ['DET', 'NOUN', 'NOUN', 'VERB', '.'] },
      { tokens: ['He', "isn't", 'here', '.'], tags: ['PRON', 'VERB', 'ADV', '.'] },
    ]);
    expect(parseBrown(text, { tagset: 'original' })[0].tags).toEqual(['at', 'np-tl', 'nn-tl', 'vbd', '.']);
    expect(parseBrown(text, { tagset: 'base' })[1].tags).toEqual(['pps', 'bez', 'rn', '.']);
  });

  test('word containing a slash keeps it (the tag follows the last /)', () => {
    expect(parseBrown('1/2/cd')[0]).toEqual({ tokens: ['1/2'], tags: ['NUM'] });
  });

  test('tag mapping: decorations, contractions, foreign words; every slice tag maps into the 12 universal tags', () => {
    expect(baseBrownTag('NN-TL-HL')).toBe('nn');
    expect(baseBrownTag('ppss+md')).toBe('ppss');
    expect(baseBrownTag('pp$')).toBe('pp$');
    expect(baseBrownTag('np$')).toBe('np');
    expect(brownToUniversal('fw-nn')).toBe('X');
    expect(brownToUniversal('md*')).toBe('VERB');
    expect(brownToUniversal('*')).toBe('ADV');
    expect(brownToUniversal('pp$')).toBe('DET');
    expect(brownToUniversal('pp$$')).toBe('PRON');
    expect(brownToUniversal('cs')).toBe('ADP');
    const tags = new Set(parseBrown(slice).flatMap((s) => s.tags));
    for (const t of tags) expect(UNIVERSAL_TAGS).toContain(t);
    expect(tags.size).toBeGreaterThanOrEqual(11);
  });

  test("'--' (dash) maps to '.' as the README's table says (was X: the trailing-dash strip emptied it)", () => {
    expect(brownToUniversal('--')).toBe('.');
    expect(baseBrownTag('--')).toBe('--');
    expect(parseBrown('yes/rb --/-- no/rb')[0].tags).toEqual(['ADV', '.', 'ADV']);
    // every punctuation tag of the README's '.' row
    for (const t of ['.', ',', ':', '(', ')', '--', "''", '``', "'", ';']) expect(brownToUniversal(t)).toBe('.');
    expect(brownToUniversal('nn-foo')).toBe('NOUN');
  });

  test("tags named like Object.prototype members map to X (brownToUniversal('constructor') returned a function)", () => {
    for (const t of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(brownToUniversal(t)).toBe('X');
  });

  test('the fixed split: 450 train / 50 test files, every 10th file is test', () => {
    const names = ['README', 'cats.txt', ...Array.from({ length: 20 }, (_, i) => `ca${String(i + 1).padStart(2, '0')}`)];
    const s = brownSplit(names);
    expect(s.test).toEqual(['ca10', 'ca20']);
    expect(s.train).toHaveLength(18);
  });

  test('malformed tokens are typed errors', () => {
    expect(() => parseBrown('the/at dog')).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => parseBrown('the/')).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => parseBrown('a/at', { tagset: 'bogus' as 'universal' })).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
