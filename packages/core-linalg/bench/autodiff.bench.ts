// Autodiff benchmarks: MLP training step and conv2d forward+backward against TensorFlow.js's CPU
// backend (float32, same process), and heap before/after a 1,000-step training loop.
// tfjs-core's gradient registry is only reachable through its ESM tree, which Node cannot load
// (extensionless/directory imports), so the tfjs side runs the same backward pass written out with
// its public ops and backward kernels (Conv2DBackpropInput/Filter): kernel against kernel.
// Run with `pnpm bench` (node --expose-gc --import tsx).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { cpuTime, report, time } from '@notes/bench-kit';
import { ops, Tensor, variableGrads } from '../src/autodiff/index.js';
import { createAdamOptimizer, crossEntropyWithLogitsLoss, Linear, MLP, mseLoss } from '../src/nn/index.js';
import { createRng } from '../src/random/index.js';

await tf.setBackend('cpu');
await tf.ready();
const rng = createRng(1);
const randArray = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());

// ---- MLP training step: batch 128, 784 → 256 → 10, ReLU, softmax cross-entropy, Adam ----
const B = 128;
const xData = Float64Array.from({ length: B * 784 }, () => rng.uniform());
const labels = Int32Array.from({ length: B }, () => Math.floor(10 * rng.uniform()));
const X = new Tensor(xData, [B, 784]);
const net = new MLP([784, 256, 10], { seed: 2 });
const opt = createAdamOptimizer(net.parameters(), { lr: 1e-3 });
const oursStep = () => {
  const { value, grads } = variableGrads(() => crossEntropyWithLogitsLoss(net.forward(X), labels), net.parameters());
  opt.step(grads);
  return value;
};
const ours = time(oursStep, { minMs: 2000, warmup: 3 });

const tfX = tf.tensor2d(Float32Array.from(xData), [B, 784]);
const tfY = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
const W1 = tf.variable(tf.randomNormal([784, 256], 0, Math.sqrt(2 / 784), 'float32', 3));
const b1 = tf.variable(tf.zeros([256]));
const W2 = tf.variable(tf.randomNormal([256, 10], 0, Math.sqrt(2 / 256), 'float32', 4));
const b2 = tf.variable(tf.zeros([10]));
const tfOpt = tf.train.adam(1e-3);
const theirsStep = () => {
    const loss = tf.tidy(() => {
      const z1 = tf.add(tf.matMul(tfX, W1), b1);
      const h = tf.relu(z1);
      const logits = tf.add(tf.matMul(h, W2), b2);
      const logp = tf.logSoftmax(logits);
      const value = tf.neg(tf.mean(tf.sum(tf.mul(tfY, logp), 1)));
      // backward by hand: dlogits = (softmax − Y)/B, then the two layers
      const dLogits = tf.div(tf.sub(tf.exp(logp), tfY), B);
      const dW2 = tf.matMul(h, dLogits, true, false);
      const db2 = tf.sum(dLogits, 0);
      const dh = tf.mul(tf.matMul(dLogits, W2, false, true), tf.step(z1));
      const dW1 = tf.matMul(tfX, dh, true, false);
      const db1 = tf.sum(dh, 0);
      tfOpt.applyGradients([
        { name: W1.name, tensor: dW1 },
        { name: b1.name, tensor: db1 },
        { name: W2.name, tensor: dW2 },
        { name: b2.name, tensor: db2 },
      ]);
      return value;
    });
    const v = loss.dataSync()[0];
    loss.dispose();
    return v;
};
const theirs = time(theirsStep, { minMs: 2000, warmup: 3 });
const oursCpu = cpuTime(oursStep, 15);
const theirsCpu = cpuTime(theirsStep, 5);
report('MLP train step, batch 128, 784→256→10, forward + backward + Adam', [
  { name: '@notes autodiff (float64), CPU time', seconds: oursCpu, baseline: theirsCpu, baselineName: 'tfjs CPU time' },
  { name: '@notes autodiff (float64)', seconds: ours, baseline: theirs, baselineName: `tfjs-core 4.22 + backend-cpu (float32, backend '${tf.getBackend()}')` },
]);

// ---- conv2d forward + backward on a 28×28 batch ----
const N = 32;
const Cin = 8;
const Cout = 16;
const xc = randArray(N * Cin * 28 * 28);
const wc = randArray(Cout * Cin * 9, 0.1);
const xT = new Tensor(xc, [N, Cin, 28, 28]);
const wT = new Tensor(wc, [Cout, Cin, 3, 3]);
const oursConv = time(() => variableGrads(() => ops.sum(ops.conv2d(xT, wT, { padding: 1 })), [xT, wT]).value, { minMs: 1500, warmup: 2 });
// tfjs is NHWC with filters [KH, KW, Cin, Cout]
const xTf = tf.transpose(tf.tensor4d(Float32Array.from(xc), [N, Cin, 28, 28]), [0, 2, 3, 1]) as tf.Tensor4D;
const wTf = tf.transpose(tf.tensor4d(Float32Array.from(wc), [Cout, Cin, 3, 3]), [2, 3, 1, 0]) as tf.Tensor4D;
const conv = tf.engine();
const convFwdBwd = (x: tf.Tensor4D, w: tf.Tensor4D, depthwise: boolean): number =>
  tf.tidy(() => {
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] };
    const y = depthwise ? tf.depthwiseConv2d(x, w, 1, 'same') : tf.conv2d(x, w, 1, 'same');
    const dy = tf.onesLike(y); // cotangent of sum(y)
    const k = depthwise ? 'DepthwiseConv2dNative' : 'Conv2D';
    const dx = conv.runKernel(`${k}BackpropInput`, { dy, filter: w }, { ...attrs, inputShape: x.shape }) as tf.Tensor;
    const dw = conv.runKernel(`${k}BackpropFilter`, { x, dy }, { ...attrs, filterShape: w.shape }) as tf.Tensor;
    return dx.dataSync()[0] + dw.dataSync()[0];
  });
const theirsConv = time(() => convFwdBwd(xTf, wTf, false), { minMs: 1500, warmup: 2 });
const depthW = new Tensor(randArray(Cin * 9, 0.1), [Cin, 1, 3, 3]);
const oursDepth = time(() => variableGrads(() => ops.sum(ops.conv2d(xT, depthW, { padding: 1, groups: Cin })), [xT, depthW]).value, { minMs: 1500, warmup: 2 });
const dwTf = tf.transpose(tf.tensor4d(Float32Array.from(depthW.data), [Cin, 1, 3, 3]), [2, 3, 0, 1]) as tf.Tensor4D;
const theirsDepth = time(() => convFwdBwd(xTf, dwTf, true), { minMs: 1500, warmup: 2 });
const convCpu = cpuTime(() => variableGrads(() => ops.sum(ops.conv2d(xT, wT, { padding: 1 })), [xT, wT]).value, 7);
const convCpuTf = cpuTime(() => convFwdBwd(xTf, wTf, false), 3);
const depthCpu = cpuTime(() => variableGrads(() => ops.sum(ops.conv2d(xT, depthW, { padding: 1, groups: Cin })), [xT, depthW]).value, 7);
const depthCpuTf = cpuTime(() => convFwdBwd(xTf, dwTf, true), 3);
report(`conv2d forward + backward (input and weight gradients), x ${N}×${Cin}×28×28, 3×3, padding 1`, [
  { name: `standard ${Cin}→${Cout}, CPU time`, seconds: convCpu, baseline: convCpuTf, baselineName: 'tfjs CPU time' },
  { name: `depthwise ${Cin} channels, CPU time`, seconds: depthCpu, baseline: depthCpuTf, baselineName: 'tfjs CPU time' },
  { name: `standard ${Cin}→${Cout}`, seconds: oursConv, baseline: theirsConv, baselineName: 'tfjs conv2d (float32, NHWC)' },
  { name: `depthwise ${Cin} channels`, seconds: oursDepth, baseline: theirsDepth, baselineName: 'tfjs depthwiseConv2d (float32)' },
]);

// ---- fftConv1d (Hyena's causal long convolution) forward + backward vs the direct convolution ----
// Baseline: the same causal convolution as a depthwise ops.conv1d (flipped filter, K − 1 zeros of padding,
// first L outputs), O(L·K) per channel, differentiated by the same engine.
for (const [Bf, D, L] of [[4, 16, 256], [4, 16, 1024]]) {
  const u = new Tensor(randArray(Bf * D * L), [Bf, D, L]);
  const h = new Tensor(randArray(D * L, 0.1), [D, L]);
  const flipped = new Float64Array(D * L);
  for (let d = 0; d < D; d++) for (let k = 0; k < L; k++) flipped[d * L + k] = h.data[d * L + L - 1 - k];
  const w = new Tensor(flipped, [D, 1, L]);
  const direct = (x: Tensor, f: Tensor) => ops.slice(ops.conv1d(x, f, { padding: L - 1, groups: D }), 2, 0, L);
  const yF = ops.fftConv1d(u, h).data;
  const yD = direct(u, w).data;
  let err = 0;
  for (let i = 0; i < yF.length; i++) err = Math.max(err, Math.abs(yF[i] - yD[i]));
  const fftCpu = cpuTime(() => variableGrads(() => ops.sum(ops.fftConv1d(u, h)), [u, h]).value, 9);
  const directCpu = cpuTime(() => variableGrads(() => ops.sum(direct(u, w)), [u, w]).value, 3);
  report(`fftConv1d forward + backward, u ${Bf}×${D}×${L}, per-channel filter K = ${L} (max |fft − direct| = ${err.toExponential(1)})`, [
    { name: 'ops.fftConv1d, CPU time', seconds: fftCpu, baseline: directCpu, baselineName: 'direct causal conv (ops.conv1d, depthwise), CPU time' },
  ]);
}

// ---- heap before/after a 1,000-step training loop ----
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
const small = new MLP([32, 64, 1], { seed: 5 });
const reg = new Linear(1, 1, { seed: 6 });
const Xs = new Tensor(randArray(64 * 32), [64, 32]);
const Ys = new Tensor(randArray(64), [64, 1]);
const smallOpt = createAdamOptimizer([...small.parameters(), ...reg.parameters()], { lr: 1e-3 });
const step = () => {
  const { grads } = variableGrads(() => mseLoss(reg.forward(small.forward(Xs)), Ys), smallOpt.params);
  smallOpt.step(grads);
};
for (let i = 0; i < 50; i++) step();
const before = heapMiB();
const t0 = performance.now();
for (let i = 0; i < 1000; i++) step();
const loopSeconds = (performance.now() - t0) / 1000;
const after = heapMiB();
console.log('\n## Heap across a 1,000-step training loop (MLP 32→64→1 + Linear, batch 64, Adam)');
console.log(`- heap before ${before.toFixed(2)} MiB, after ${after.toFixed(2)} MiB (Δ ${(after - before).toFixed(2)} MiB)${gc ? '' : ' (no --expose-gc: figures include garbage)'}; loop ${loopSeconds.toFixed(2)} s`);
