/**
 * `pnpm demo:full` — issue 17's digits comparison (too long for `pnpm demo`): a VAE-trained and an
 * IWAE(k = 50)-trained model of the same architecture, test log-likelihood by the k = 5,000 importance
 * estimate, and a PyTorch reference (Debian `python3-torch`, `packages/latent/scripts/vae_digits_torch.py`)
 * that trains the same architecture on the same split with the same budget (epochs, batch, learning rate).
 *
 * Data: the `mnist` package's digits (≈10,000), shuffled by a permutation seeded with `--seed`; the first
 * `--train` images (grey levels) are the training set, dynamically binarised every epoch; the next `--test`
 * images are binarised once (seed + 1) and are the test set. Architecture 784-`--hidden`-(2×`--latent`) /
 * `--latent`-`--hidden`-784, tanh, Bernoulli logits, float64, Adam (lr 1e-3), batch 100.
 *
 * Options (defaults = the issue's budget: IWAE k = 50 training ≈ 10 min of CPU on one idle core): `--train 9000 --test 1000 --epochs 8
 * --k 50 --k-eval 5000 --hidden 400 --latent 20 --threads 1 --seed 20261125 --no-torch`.
 * Writes `out/full/vae-digits.json` and prints a table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, permutation } from '@notes/core-linalg';
import { fitVAE, type VAEModel } from '@notes/latent';

const here = dirname(fileURLToPath(import.meta.url));

interface Digit {
  length: number;
  range(start: number, end: number): number[][];
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const cfg = {
  train: arg('train', 9000),
  test: arg('test', 1000),
  epochs: arg('epochs', 8),
  k: arg('k', 50),
  kEval: arg('k-eval', 5000),
  hidden: arg('hidden', 400),
  latent: arg('latent', 20),
  threads: arg('threads', 1),
  seed: arg('seed', 20261125),
  torch: !process.argv.includes('--no-torch'),
};

function load(): { train: number[][]; test: number[][] } {
  const mnist = createRequire(import.meta.url)('mnist') as Record<number, Digit>;
  const imgs: number[][] = [];
  for (let d = 0; d < 10; d++) for (const img of (mnist[d] as Digit).range(0, (mnist[d] as Digit).length)) imgs.push(img);
  if (cfg.train + cfg.test > imgs.length) throw new Error(`only ${imgs.length} digits: --train + --test must not exceed it`);
  const order = permutation(createRng(cfg.seed), imgs.length);
  const train = Array.from({ length: cfg.train }, (_, i) => imgs[order[i] as number] as number[]);
  const r = createRng(cfg.seed + 1);
  const test = Array.from({ length: cfg.test }, (_, i) => (imgs[order[cfg.train + i] as number] as number[]).map((p) => (r.uniform() < p ? 1 : 0)));
  return { train, test };
}

interface Row {
  who: string;
  objective: string;
  samples: number;
  nll: number;
  se: number;
  trainCpuSeconds: number;
  trainWallSeconds: number;
  evalCpuSeconds: number;
  lastTrainBound: number;
  /** log p(x) estimate per test image (for paired differences). */
  perImage: number[];
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function ours(train: number[][], test: number[][], objective: 'elbo' | 'iwae', samples: number): Row {
  const c0 = cpuSeconds();
  const t0 = performance.now();
  const model: VAEModel = fitVAE(train, {
    latentDim: cfg.latent,
    hidden: [cfg.hidden],
    objective,
    samples,
    epochs: cfg.epochs,
    batchSize: 100,
    lr: 1e-3,
    binarize: true,
    seed: cfg.seed,
    onProgress: (p) => console.log(`  ours ${objective} k=${samples} epoch ${p.iteration}: ${p.objective.toFixed(3)} (${(p.elapsedMs / 1000).toFixed(0)} s)`),
  });
  const trainCpu = cpuSeconds() - c0;
  const trainWall = (performance.now() - t0) / 1000;
  const c1 = cpuSeconds();
  const ll = model.logLikelihood(test, { samples: cfg.kEval, seed: cfg.seed });
  return {
    who: '@notes/latent',
    objective,
    samples,
    nll: -ll.mean,
    se: ll.standardError,
    trainCpuSeconds: trainCpu,
    trainWallSeconds: trainWall,
    evalCpuSeconds: cpuSeconds() - c1,
    lastTrainBound: -(model.report.trace?.at(-1) ?? Number.NaN),
    perImage: Array.from(ll.perSample),
  };
}

function torch(train: number[][], test: number[][]): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'vae-digits-'));
  try {
    writeFileSync(join(dir, 'train.f64'), new Uint8Array(Float64Array.from(train.flat()).buffer));
    writeFileSync(join(dir, 'test.f64'), new Uint8Array(Float64Array.from(test.flat()).buffer));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        dimension: 784,
        hidden: cfg.hidden,
        latentDim: cfg.latent,
        epochs: cfg.epochs,
        batchSize: 100,
        lr: 1e-3,
        kEval: cfg.kEval,
        seed: cfg.seed % 2 ** 31,
        threads: cfg.threads,
        models: [
          { objective: 'elbo', samples: 1 },
          { objective: 'iwae', samples: cfg.k },
        ],
      }),
    );
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const script = join(here, '..', '..', '..', '..', 'packages', 'latent', 'scripts', 'vae_digits_torch.py');
    const r = spawnSync('/usr/bin/python3', [script, dir], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`the PyTorch reference failed (exit ${r.status})`);
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as {
      threads: number;
      models: {
        objective: string;
        samples: number;
        testLogLikelihood: number;
        testLogLikelihoodSE: number;
        trainCpuSeconds: number;
        trainWallSeconds: number;
        evalCpuSeconds: number;
        trace: number[];
        perImage: number[];
      }[];
    };
    return res.models.map((m) => ({
      who: `PyTorch (${res.threads} thread${res.threads === 1 ? '' : 's'})`,
      objective: m.objective,
      samples: m.samples,
      nll: -m.testLogLikelihood,
      se: m.testLogLikelihoodSE,
      trainCpuSeconds: m.trainCpuSeconds,
      trainWallSeconds: m.trainWallSeconds,
      evalCpuSeconds: m.evalCpuSeconds,
      lastTrainBound: -(m.trace.at(-1) ?? Number.NaN),
      perImage: m.perImage,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mean and standard error of a − b over paired entries (a − b > 0: the b model has the larger NLL by that much). */
function paired(a: number[], b: number[]): { mean: number; se: number } {
  const d = a.map((v, i) => v - (b[i] as number));
  const n = d.length;
  const mean = d.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, se: sd / Math.sqrt(n) };
}

function main(): void {
  console.log(`vae-digits: ${JSON.stringify(cfg)}`);
  const { train, test } = load();
  const rows: Row[] = [ours(train, test, 'elbo', 1), ours(train, test, 'iwae', cfg.k)];
  if (cfg.torch) rows.push(...torch(train, test));
  console.log(`\ntest NLL by the k = ${cfg.kEval} importance estimate (nats per image, ± SE over ${cfg.test} test digits)`);
  console.log('| trained by | objective | test NLL | train CPU s | train wall s | eval CPU s | last training bound |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const obj = r.objective === 'elbo' ? 'ELBO' : `IWAE k = ${r.samples}`;
    console.log(`| ${r.who} | ${obj} | ${r.nll.toFixed(2)} ± ${r.se.toFixed(2)} | ${r.trainCpuSeconds.toFixed(1)} | ${r.trainWallSeconds.toFixed(1)} | ${r.evalCpuSeconds.toFixed(1)} | ${r.lastTrainBound.toFixed(2)} |`);
  }
  const [vae, iwae, tVae, tIwae] = rows;
  const diffs: Record<string, { mean: number; se: number }> = {};
  if (vae && iwae) diffs['NLL(VAE) − NLL(IWAE), ours'] = paired(iwae.perImage, vae.perImage);
  if (vae && tVae) diffs['NLL(ours) − NLL(PyTorch), ELBO-trained'] = paired(tVae.perImage, vae.perImage);
  if (iwae && tIwae) diffs['NLL(ours) − NLL(PyTorch), IWAE-trained'] = paired(tIwae.perImage, iwae.perImage);
  if (tVae && tIwae) diffs['NLL(VAE) − NLL(IWAE), PyTorch'] = paired(tIwae.perImage, tVae.perImage);
  console.log('\npaired differences over the same test digits (nats per image, ± SE of the mean difference):');
  for (const [name, d] of Object.entries(diffs)) console.log(`- ${name}: ${d.mean.toFixed(2)} ± ${d.se.toFixed(2)}`);
  const outDir = join(here, '..', '..', 'out', 'full');
  mkdirSync(outDir, { recursive: true });
  const compact = rows.map(({ perImage: _p, ...r }) => r);
  writeFileSync(join(outDir, 'vae-digits.json'), `${JSON.stringify({ config: cfg, date: new Date().toISOString(), rows: compact, diffs }, null, 2)}\n`);
}

main();
