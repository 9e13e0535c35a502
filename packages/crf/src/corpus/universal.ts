import { describeValue, ShapeError } from '@notes/core-linalg';

/** The 12 universal part-of-speech tags of Petrov, Das & McDonald (2012). */
export const UNIVERSAL_TAGS = ['.', 'ADJ', 'ADP', 'ADV', 'CONJ', 'DET', 'NOUN', 'NUM', 'PRON', 'PRT', 'VERB', 'X'] as const;

/** One of {@link UNIVERSAL_TAGS}. */
export type UniversalTag = (typeof UNIVERSAL_TAGS)[number];

// null prototype: tags such as 'constructor' or '__proto__' must not find Object.prototype members
const BASE: Record<string, UniversalTag> = Object.create(null);
const add = (tag: UniversalTag, list: string) => {
  for (const t of list.split(' ')) BASE[t] = tag;
};
add('NOUN', 'nn nns np nps nr nrs');
add('VERB', 'vb vbd vbg vbn vbz md be bed bedz beg bem ben ber bez do dod doz hv hvd hvg hvn hvz');
add('ADJ', 'jj jjr jjs jjt od');
add('ADV', 'rb rbr rbt rn ql qlp wql wrb abl *');
add('PRON', 'pn ppl ppls ppo pps ppss pp$$ wpo wps wp$');
add('DET', 'at dt dti dts dtx abn abx ap wdt pp$ ex');
add('ADP', 'in cs');
add('CONJ', 'cc');
add('PRT', 'rp to');
add('NUM', 'cd');
add('.', ". , : ( ) -- '' `` ' ;");
add('X', 'uh nil');

/**
 * Strips the Brown decorations from a tag: lower-cases, removes the `-tl` (title), `-hl` (headline) and `-nc`
 * (citation) suffixes, takes the first part of a contraction (`ppss+md` → `ppss`), and removes a trailing `*`
 * (negation) or `$` (possessive) unless the tag itself ends so (`pp$`, `pp$$`, `wp$`). Foreign words
 * (`fw-…`) become `fw`.
 */
export function baseBrownTag(tag: string): string {
  if (typeof tag !== 'string') throw new ShapeError(`baseBrownTag: argument 'tag' must be a string, got ${describeValue(tag)}`);
  let t = tag.toLowerCase();
  if (t.startsWith('fw-')) return 'fw';
  let prev = '';
  while (prev !== t) {
    prev = t;
    t = t.replace(/-(tl|hl|nc)$/, '');
  }
  if (t.includes('+')) t = t.slice(0, t.indexOf('+'));
  // a hyphenated remainder keeps its first part ('nn-foo' → 'nn'), but a tag that starts with '-' ('--') is kept
  t = t.replace(/^([^-]+)-.*$/, '$1');
  if (t in BASE) return t;
  const s = t.replace(/[*$]+$/, '');
  return s.length > 0 ? s : t;
}

/**
 * Maps a Brown tag to a universal tag (Petrov et al. 2012's `en-brown` mapping, rule form):
 * nouns nn/nns/np/nps/nr/nrs → NOUN; verbs, modals and forms of be/do/have → VERB; jj*, od → ADJ;
 * rb*, rn, ql, qlp, wql, wrb, abl, `*` (not) → ADV; personal/wh pronouns → PRON; articles, determiners,
 * pre-quantifiers, wdt, pp$ (possessive determiner) and ex (existential *there*) → DET; in, cs → ADP; cc → CONJ;
 * rp, to → PRT; cd → NUM; punctuation → '.'; fw-* (foreign), uh, nil and anything unknown → X.
 */
export function brownToUniversal(tag: string): UniversalTag {
  if (typeof tag !== 'string') throw new ShapeError(`brownToUniversal: argument 'tag' must be a string, got ${describeValue(tag)}`);
  const b = baseBrownTag(tag);
  return BASE[b] ?? 'X';
}
