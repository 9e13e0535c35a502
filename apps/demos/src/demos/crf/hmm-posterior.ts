/**
 * HMM (notes: HMM, $p(y,x)=\prod_t p(y_t\mid y_{t-1})p(x_t\mid y_t)$): a supervised bigram HMM tagger trained on the
 * Brown training files; forward–backward posteriors $p(y_t \mid x)$ of one test sentence as a heat map, next to the
 * Viterbi path, plus the tagger's accuracy on the whole test split.
 */
import { atLeast, atMost } from '../../claims.js';
import { evaluateTagging, fitHMMTagger } from '@notes/crf';
import type { Demo } from '../../demo.js';
import { loadBrown } from './_brown.js';

const demo: Demo = {
  id: 'crf/hmm-posterior',
  title: 'HMM part-of-speech tagger on Brown: posterior heat map of one sentence',
  section: 'Conditional Probabilistic Graphical Model · Linear CRF (HMM)',
  order: 600,
  run({ log }) {
    const { train, test } = loadBrown('universal');
    log(`${train.length} train / ${test.length} test sentences`);
    const tagger = fitHMMTagger(train);
    const report = evaluateTagging(
      test.map((s) => s.tags),
      test.map((s) => tagger.tag(s.tokens)),
    );
    // a sentence with an ambiguous word ("that", "to", "like"...), 8–16 tokens
    const sent = test.find((s) => s.tokens.length >= 8 && s.tokens.length <= 16 && s.tokens.includes('that')) ?? test[0];
    const post = tagger.posteriors(sent.tokens);
    const path = tagger.tag(sent.tokens);
    const values: { position: string; tag: string; posterior: number }[] = [];
    sent.tokens.forEach((w, t) => {
      tagger.tags.forEach((tag, k) => {
        values.push({ position: `${String(t).padStart(2, '0')} ${w}`, tag, posterior: post.get(t, k) });
      });
    });
    let agree = 0;
    path.forEach((p, t) => {
      if (p === sent.tags[t]) agree++;
    });
    let sumDev = 0;
    sent.tokens.forEach((_, t) => {
      let s = 0;
      tagger.tags.forEach((_, k) => {
        s += post.get(t, k);
      });
      sumDev = Math.max(sumDev, Math.abs(s - 1));
    });
    return {
      claims: [
        atLeast('bigram HMM token accuracy on the held-out Brown files (universal tags)', report.accuracy, 0.9),
        atMost('posteriors p(y_t | x) sum to 1 at every token (max deviation)', sumDev, 1e-9),
      ],
      metrics: {
        'test accuracy (universal tags)': report.accuracy,
        'test tokens': report.tokens,
        'sentence length': sent.tokens.length,
        'Viterbi correct on sentence': `${agree}/${sent.tokens.length}`,
      },
      summary: `Sentence: “${sent.tokens.join(' ')}”. Each column is a token, each row a universal tag; colour is the posterior p(y_t = tag | sentence) from log-space forward–backward. Gold: ${sent.tags.join(' ')}. Viterbi: ${path.join(' ')}.`,
      plots: [
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          title: 'HMM posterior p(y_t | x)',
          width: 600,
          height: 260,
          data: { values },
          mark: 'rect',
          encoding: {
            x: { field: 'position', type: 'ordinal', title: 'token', axis: { labelAngle: -45 } },
            y: { field: 'tag', type: 'ordinal', title: 'tag' },
            color: { field: 'posterior', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] } },
          },
        },
      ],
    };
  },
};

export default demo;
