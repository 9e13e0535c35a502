/**
 * The cases of core's bad-input sweep (see bad-input.test.ts): one per public export, with valid
 * arguments; EXEMPT lists what is not swept and why.
 */
import type { SweepCase } from '@notes/check-kit';
import { Matrix } from 'ml-matrix';
import * as core from './index.js';

const {
  Tensor,
  ops,
  createRng,
  Linear,
  MLP,
  GRUCell,
  Conv1d,
  Conv2d,
  DepthwiseSeparableConv2d,
  Embedding,
  LayerNorm,
  createAdamOptimizer,
  createSgdOptimizer,
} = core;

/**
 * Exports that are not swept, with the reason. Raw kernels are documented as unchecked (the caller
 * guarantees shapes and finiteness) or take no data; the error classes are constructors of errors.
 */
export const EXEMPT: Record<string, string> = {
  // error classes and validators: they exist to throw the typed errors the sweep expects
  NotesError: 'error class',
  ShapeError: 'error class',
  DomainError: 'error class',
  NonFiniteError: 'error class',
  NotPositiveDefiniteError: 'error class',
  ConvergenceError: 'error class',
  AbortError: 'error class',
  ResourceError: 'error class',
  Module: 'abstract base class (every concrete layer is swept)',
  // WebAssembly byte encoders: build-time helpers for core's own hand-written modules (raw kernels)
  uleb128: 'raw kernel: WebAssembly encoder for core-written modules',
  sleb128: 'raw kernel: WebAssembly encoder for core-written modules',
  f64Bytes: 'raw kernel: WebAssembly encoder for core-written modules',
  i64Bytes: 'raw kernel: WebAssembly encoder for core-written modules',
  wasmName: 'raw kernel: WebAssembly encoder for core-written modules',
  wasmSection: 'raw kernel: WebAssembly encoder for core-written modules',
  assembleModule: 'raw kernel: WebAssembly encoder for core-written modules',
  wasmSimdSupported: 'takes no argument',
  // drivers and helpers whose argument is code, not data
  runFit: 'driver: its argument is a generator written by a package, not user data',
  runFitAsync: 'driver: its argument is a generator written by a package, not user data',
  yieldToEventLoop: 'takes no argument',
  stopwatch: 'takes no argument',
  tapeStats: 'takes no argument',
  noGrad: 'runs a callback (errors are the callback’s own)',
  withNanCheck: 'runs a callback (errors are the callback’s own)',
  isRecording: 'predicate over tensors, no data read',
  isMatrixLike: 'predicate: returns false for any bad value',
  isCholeskyFactor: 'predicate: returns false for any bad value',
  isSuccessReason: 'predicate over a StopReason string',
  '@notes/core-linalg/kernels': 'the raw-kernel subpath (potrf, trsm, trtri, potri, gemm …): unchecked by design, documented as such; tested against the checked API',
  defineOptions: 'builds a parser from a spec written by a package (swept through every parser that uses it)',
};

const rng = () => createRng(1);
const t = (values: number[], shape?: number[]) => Tensor.fromArray(values, shape);
const spd = () => [
  [4, 1, 0.5],
  [1, 3, 0.2],
  [0.5, 0.2, 2],
];

export const cases: SweepCase[] = [
  // errors/ validators and converters (they must throw typed errors for anything bad)
  { name: 'assertFinite', call: (v) => core.assertFinite('f', 'x', v), args: () => [[1, 2, 3]] },
  { name: 'assertInRange', call: (v, lo, hi) => core.assertInRange('f', 'x', v, lo, hi), args: () => [0.5, 0, 1] },
  { name: 'assertInteger', call: (v, lo) => core.assertInteger('f', 'x', v, lo), args: () => [3, 0] },
  { name: 'assertLength', call: (v, n) => core.assertLength('f', 'x', v, n), args: () => [[1, 2], 2] },
  { name: 'assertNonEmpty', call: (v) => core.assertNonEmpty('f', 'x', v), args: () => [[1]] },
  { name: 'assertNonNegative', call: (v) => core.assertNonNegative('f', 'x', v), args: () => [1] },
  { name: 'assertPositive', call: (v) => core.assertPositive('f', 'x', v), args: () => [1] },
  { name: 'assertProbabilityVector', call: (p) => core.assertProbabilityVector('f', 'p', p), args: () => [[0.25, 0.75]] },
  { name: 'assertShape', call: (v, r, c) => core.assertShape('f', 'x', v, r, c), args: () => [new Matrix([[1, 2]]), 1, 2] },
  { name: 'assertSquare', call: (v) => core.assertSquare('f', 'x', v), args: () => [new Matrix([[1]])] },
  { name: 'throwIfAborted', call: (s) => core.throwIfAborted('f', s), args: () => [new AbortController().signal] },
  { name: 'withDefaults', call: (d, o) => core.withDefaults(d, o), args: () => [{ a: 1 }, { a: 2 }] },
  { name: 'describeValue', call: (v) => core.describeValue(v), args: () => [[1, 2]] },
  { name: 'checkOption', call: (v) => core.checkOption('f', 'x', { type: 'number', min: 0 }, v), args: () => [1] },
  { name: 'closestName', call: (k, names) => core.closestName(k, names), args: () => ['tol', ['tol', 'seed']] },
  { name: 'describeRule', call: (r) => core.describeRule(r), args: () => [{ type: 'integer', min: 1 }] },
  { name: 'parseOptions', call: (o) => core.parseOptions('f', { tol: { type: 'number', greaterThan: 0, default: 1 } }, o), args: () => [{ tol: 0.5 }], options: 0 },
  { name: 'readMatrix', call: (X) => core.readMatrix('f', 'X', X), args: () => [[[1, 2], [3, 4]]] },
  { name: 'readVector', call: (x) => core.readVector('f', 'x', x), args: () => [[1, 2, 3]] },
  { name: 'readLabels', call: (x, o) => core.readLabels('f', 'y', x, o), args: () => [[0, 1, 2], { classes: 3 }], options: 1 },
  { name: 'readNumber', call: (x) => core.readNumber('f', 'x', x), args: () => [1.5] },
  { name: 'checkMemory', call: (b, o) => core.checkMemory('f', 'a matrix', b, o), args: () => [1024, { maxMemoryBytes: 4096 }], options: 1 },
  // fit/
  { name: 'makeFitReport', call: (r) => core.makeFitReport(r), args: () => [{ reason: 'converged', iterations: 3, elapsedMs: 1.5 }], options: 0 },
  { name: 'readFitReport', call: (r) => core.readFitReport('f', r), args: () => [{ converged: true, reason: 'converged', iterations: 3, elapsedMs: 1 }], options: 0 },
  // random/
  { name: 'assertRng', call: (r) => core.assertRng('f', r), args: () => [rng()] },
  { name: 'createRng', call: (s) => core.createRng(s).uniform(), args: () => [42] },
  { name: 'resolveRng', call: (o, d) => core.resolveRng('f', o, d).uniform(), args: () => [{ seed: 3 }, 0], options: 0 },
  { name: 'sampleUniform', call: (r, a, b) => core.sampleUniform(r, a, b), args: () => [rng(), 0, 2] },
  { name: 'sampleNormal', call: (r, m, s) => core.sampleNormal(r, m, s), args: () => [rng(), 0, 1] },
  { name: 'sampleNormalArray', call: (r, n, m, s) => core.sampleNormalArray(r, n, m, s), args: () => [rng(), 4, 0, 1] },
  { name: 'sampleGamma', call: (r, a, b) => core.sampleGamma(r, a, b), args: () => [rng(), 2, 1] },
  { name: 'sampleBeta', call: (r, a, b) => core.sampleBeta(r, a, b), args: () => [rng(), 2, 3] },
  { name: 'sampleGumbel', call: (r, a, b) => core.sampleGumbel(r, a, b), args: () => [rng(), 0, 1] },
  { name: 'sampleExponential', call: (r, a) => core.sampleExponential(r, a), args: () => [rng(), 2] },
  { name: 'samplePoisson', call: (r, a) => core.samplePoisson(r, a), args: () => [rng(), 3] },
  { name: 'sampleBinomial', call: (r, n, p) => core.sampleBinomial(r, n, p), args: () => [rng(), 10, 0.3] },
  { name: 'sampleDirichlet', call: (r, a) => core.sampleDirichlet(r, a), args: () => [rng(), [1, 2, 3]] },
  { name: 'sampleCategorical', call: (r, p) => core.sampleCategorical(r, p), args: () => [rng(), [0.2, 0.3, 0.5]] },
  { name: 'sampleCategoricalLog', call: (r, p) => core.sampleCategoricalLog(r, p), args: () => [rng(), [-1, 0, 1]] },
  { name: 'permutation', call: (r, n) => core.permutation(r, n), args: () => [rng(), 5] },
  { name: 'sampleMultivariateNormal', call: (r, m, c) => core.sampleMultivariateNormal(r, m, c), args: () => [rng(), [0, 1, 2], spd()] },
  { name: 'sampleWishart', call: (r, df, s) => core.sampleWishart(r, df, s), args: () => [rng(), 5, spd()] },
  // special/
  ...(['erf', 'erfc', 'erfinv', 'expm1', 'log1p', 'logit', 'gammaln', 'digamma', 'trigamma', 'factorialln', 'sigmoid', 'softplus', 'logSigmoid'] as const).map(
    (name): SweepCase => ({
      name,
      call: (x) => (core[name] as (x: number) => number)(x),
      args: () => [name === 'erfinv' || name === 'logit' ? 0.3 : 2.5],
      allowInfinity: true,
    }),
  ),
  { name: 'betaln', call: (a, b) => core.betaln(a, b), args: () => [2, 3], allowInfinity: true },
  { name: 'multigammaln', call: (a, p) => core.multigammaln(a, p), args: () => [3, 2] },
  { name: 'gammainc', call: (x, a) => core.gammainc(x, a), args: () => [1.5, 2] },
  { name: 'gammaincUpper', call: (x, a) => core.gammaincUpper(x, a), args: () => [1.5, 2] },
  { name: 'normalCdf', call: (x, m, s) => core.normalCdf(x, m, s), args: () => [0.3, 0, 1] },
  { name: 'normalPdf', call: (x, m, s) => core.normalPdf(x, m, s), args: () => [0.3, 0, 1] },
  { name: 'normalLogPdf', call: (x, m, s) => core.normalLogPdf(x, m, s), args: () => [0.3, 0, 1], allowInfinity: true },
  { name: 'normalQuantile', call: (p, m, s) => core.normalQuantile(p, m, s), args: () => [0.3, 0, 1], allowInfinity: true },
  // linalg/
  { name: 'logSumExp', call: (x) => core.logSumExp(x), args: () => [[1, 2, 3]] },
  { name: 'softmax', call: (x) => core.softmax(x), args: () => [[1, 2, 3]] },
  { name: 'logSoftmax', call: (x) => core.logSoftmax(x), args: () => [[1, 2, 3]], allowInfinity: true },
  { name: 'cholesky', call: (A, o) => core.cholesky(A, o).L, args: () => [spd(), { jitter: 0 }], options: 1 },
  { name: 'choleskySolve', call: (A, b) => core.choleskySolve(A, b), args: () => [spd(), [1, 2, 3]] },
  { name: 'toMatrix', call: (A) => core.toMatrix(A), args: () => [[[1, 2], [3, 4]]] },
  { name: 'toRowMajor', call: (A) => core.toRowMajor(A).data, args: () => [[[1, 2], [3, 4]]] },
  { name: 'fromRowMajor', call: (d, r, c) => core.fromRowMajor(d, r, c), args: () => [[1, 2, 3, 4], 2, 2] },
  {
    name: 'RowMajorMatrix (constructor)',
    call: (r, c, d) => new core.RowMajorMatrix(r, c, d),
    args: () => [2, 2, Float64Array.of(1, 2, 3, 4)],
  },
  { name: 'RowMajorMatrix.from', call: (A) => core.RowMajorMatrix.from(A), args: () => [[[1, 2], [3, 4]]] },
  {
    name: 'RowMajorMatrix.get',
    call: (i, j) => new core.RowMajorMatrix(2, 2, Float64Array.of(1, 2, 3, 4)).get(i, j),
    args: () => [1, 0],
  },
  { name: 'CholeskyFactor.inverse', export: 'cholesky', call: (A) => core.cholesky(A).inverse(), args: () => [spd()] },
  { name: 'CholeskyFactor.solveMatrix', export: 'cholesky', call: (B) => core.cholesky(spd()).solveMatrix(B), args: () => [[[1], [2], [3]]] },
  {
    name: 'matmul',
    call: (a, b, m, k, n) => core.matmul(a, b, m, k, n),
    args: () => [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1), 2, 2, 2],
  },
  {
    name: 'matmulTransA',
    call: (a, b, m, k, n) => core.matmulTransA(a, b, m, k, n),
    args: () => [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1), 2, 2, 2],
  },
  {
    name: 'matmulTransB',
    call: (a, b, m, k, n) => core.matmulTransB(a, b, m, k, n),
    args: () => [Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 0, 0, 1), 2, 2, 2],
  },
  { name: 'matmulMatrix', call: (A, B) => core.matmulMatrix(A, B), args: () => [[[1, 2], [3, 4]], [[1, 0], [0, 1]]] },
  { name: 'powerIteration', call: (A, o) => core.powerIteration(A, o).sigma, args: () => [spd(), { maxIterations: 200, tol: 1e-10 }], options: 1 },
  {
    name: 'conjugateGradient',
    call: (b, o) => core.conjugateGradient((v) => Float64Array.from(v, (x, i) => (i + 2) * x), b, o).x,
    args: () => [[1, 2, 3], { tol: 1e-10, maxIterations: 20 }],
    options: 1,
  },
  // fft/
  { name: 'fft', call: (re, im) => core.fft(re, im), args: () => [[1, 2, 3, 4], [0, 1, 0, 1]] },
  { name: 'ifft', call: (re, im) => core.ifft(re, im), args: () => [[1, 2, 3, 4], [0, 1, 0, 1]] },
  { name: 'rfft', call: (x) => core.rfft(x), args: () => [[1, 2, 3, 4]] },
  { name: 'irfft', call: (re, im, n) => core.irfft(re, im, n), args: () => [[10, -2, -2], [0, 2, 0], 4] },
  { name: 'dft', call: (re, im) => core.dft(re, im), args: () => [[1, 2, 3], [0, 0, 1]] },
  { name: 'dftMatrix', call: (n, o) => core.dftMatrix(n, o).re, args: () => [4, { inverse: false }], options: 1 },
  { name: 'convolve', call: (x, h, o) => core.convolve(x, h, o), args: () => [[1, 2, 3], [1, -1], { method: 'auto' }], options: 2 },
  { name: 'circularConvolve', call: (a, b) => core.circularConvolve(a, b), args: () => [[1, 2, 3, 4], [1, 0, 0, 1]] },
  { name: 'nextPowerOfTwo', call: (n) => core.nextPowerOfTwo(n), args: () => [5] },
  // optim/
  {
    name: 'minimizeLBFGS',
    call: (x0, o) => core.minimizeLBFGS((x) => ({ value: (x[0]! - 1) ** 2, gradient: [2 * (x[0]! - 1)] }), x0, o).x,
    args: () => [[3], { maxIterations: 50, gradTol: 1e-9 }],
    options: 1,
  },
  {
    name: 'minimizeLBFGSAsync',
    call: async (x0, o) => (await core.minimizeLBFGSAsync((x) => ({ value: (x[0]! - 1) ** 2, gradient: [2 * (x[0]! - 1)] }), x0, o)).x,
    args: () => [[3], { maxIterations: 50, gradTol: 1e-9 }],
    options: 1,
  },
  {
    name: 'createAdam',
    call: (o, g) => {
      const p = new Float64Array(2);
      core.createAdam(o).step(p, g);
      return p;
    },
    args: () => [{ lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8 }, [1, -1]],
    options: 0,
  },
  {
    name: 'createSgd',
    call: (o, g) => {
      const p = new Float64Array(2);
      core.createSgd(o).step(p, g);
      return p;
    },
    args: () => [{ lr: 0.1, momentum: 0.5 }, [1, -1]],
    options: 0,
  },
  { name: 'naturalGradient', call: (g, F, o) => core.naturalGradient(g, F, o), args: () => [[1, 2, 3], spd(), { damping: 1e-6 }], options: 2 },
  {
    name: 'naturalGradientStep',
    call: (x, g, F, o) => core.naturalGradientStep(x, g, F, o),
    args: () => [[0, 0, 0], [1, 2, 3], spd(), { damping: 1e-6, lr: 0.5 }],
    options: 3,
  },
  // montecarlo/
  { name: 'monteCarlo', call: (n) => core.monteCarlo((x: number) => x * x, (r) => r.uniform(), n, rng()).estimate, args: () => [100] },
  {
    name: 'importanceSampling',
    call: (n, o) =>
      core.importanceSampling(
        (x: number) => x,
        (x) => -0.5 * x * x,
        (r) => 2 * r.normal(),
        (x) => -x * x / 8,
        n,
        rng(),
        o,
      ).estimate,
    args: () => [200, { selfNormalized: true }],
    options: 1,
  },
  { name: 'uniformVolume', call: (lo, hi, n) => core.uniformVolume((x) => x[0]!, lo, hi, n, rng()).estimate, args: () => [[0, 0], [1, 2], 100] },
  { name: 'hitOrMiss', call: (lo, hi, n) => core.hitOrMiss((x) => x[0]! < x[1]!, lo, hi, n, rng()).estimate, args: () => [[0, 0], [1, 1], 100] },
  // autodiff/
  { name: 'Tensor', call: (d, s) => new Tensor(d, s).data, args: () => [Float64Array.of(1, 2, 3, 4), [2, 2]] },
  { name: 'Tensor.fromArray', export: 'Tensor', call: (v, s) => Tensor.fromArray(v, s).data, args: () => [[1, 2, 3, 4], [2, 2]] },
  { name: 'Tensor.fromMatrix', export: 'Tensor', call: (A) => Tensor.fromMatrix(A).data, args: () => [[[1, 2], [3, 4]]] },
  { name: 'Tensor.scalar', export: 'Tensor', call: (v) => Tensor.scalar(v).data, args: () => [2] },
  { name: 'Tensor.zeros', export: 'Tensor', call: (s) => Tensor.zeros(s).data, args: () => [[2, 3]] },
  { name: 'Tensor.ones', export: 'Tensor', call: (s) => Tensor.ones(s).data, args: () => [[2, 3]] },
  { name: 'Tensor.full', export: 'Tensor', call: (s, v) => Tensor.full(s, v).data, args: () => [[2, 3], 1.5] },
  { name: 'sizeOf', call: (s) => core.sizeOf(s), args: () => [[2, 3]] },
  { name: 'shapeStr', call: (s) => core.shapeStr(s), args: () => [[2, 3]] },
  { name: 'detach', call: (x) => core.detach(x).data, args: () => [t([1, 2])] },
  { name: 'customOp', call: (name, data, shape, inputs) => core.customOp(name, data, shape, inputs, (g) => [g.slice()]).data, args: () => [ 'copy', Float64Array.of(1, 2), [2], [t([1, 2])]] },
  { name: 'setNanCheck', call: (on) => core.setNanCheck(on), args: () => [false] },
  { name: 'valueAndGrad', call: (x) => core.valueAndGrad((a) => ops.sum(ops.square(a)))(x).grads[0]!.data, args: () => [t([1, 2])] },
  { name: 'grad', call: (x) => core.grad((a) => ops.sum(ops.square(a)))(x)[0]!.data, args: () => [t([1, 2])] },
  { name: 'variableGrads', call: (ps) => core.variableGrads(() => ops.sum(ops.square(ps[0])), ps).value, args: () => [[Tensor.fromArray([1, 2], [2], { requiresGrad: true })]] },
  { name: 'jacobian', call: (x) => core.jacobian((a) => ops.square(a))(x).data, args: () => [t([1, 2])] },
  { name: 'gradcheck', call: (x, o) => core.gradcheck((a) => ops.sum(ops.square(a)), [x], o).maxRelError, args: () => [t([1, 2]), { eps: 1e-6, tol: 1e-4 }], options: 1 },
  // ops.* — tensors as arguments (bad values replace a whole argument; data-level bad values go through the factories above)
  ...(['neg', 'exp', 'sqrt', 'square', 'abs', 'tanh', 'sin', 'cos', 'sigmoid', 'relu', 'softplus', 'log', 'log1p'] as const).map(
    (name): SweepCase => ({ name: `ops.${name}`, export: 'ops', call: (x) => (ops[name] as (x: unknown) => { data: Float64Array })(x).data, args: () => [t([0.5, 1.5])] }),
  ),
  ...(['add', 'sub', 'mul', 'div', 'pow'] as const).map(
    (name): SweepCase => ({ name: `ops.${name}`, export: 'ops', call: (a, b) => (ops[name] as (a: unknown, b: unknown) => { data: Float64Array })(a, b).data, args: () => [t([0.5, 1.5]), t([2, 3])] }),
  ),
  { name: 'ops.matmul', export: 'ops', call: (a, b) => ops.matmul(a, b).data, args: () => [t([1, 2, 3, 4], [2, 2]), t([1, 0, 0, 1], [2, 2])] },
  { name: 'ops.linear', export: 'ops', call: (x, w, b) => ops.linear(x, w, b).data, args: () => [t([1, 2, 3, 4], [2, 2]), t([1, 0, 0, 1], [2, 2]), t([0.5, -0.5])] },
  { name: 'ops.bernoulliLogLikelihood', export: 'ops', call: (x, l) => ops.bernoulliLogLikelihood(x, l).data, args: () => [t([1, 0, 1, 0], [2, 2]), t([0.5, -1, 2, 0], [2, 2])] },
  { name: 'ops.diagGaussianKL', export: 'ops', call: (m, v) => ops.diagGaussianKL(m, v).data, args: () => [t([0.5, -1, 2, 0], [2, 2]), t([0, 0.1, -0.2, 0.3], [2, 2])] },
  { name: 'ops.broadcastTo', export: 'ops', call: (a, s) => ops.broadcastTo(a, s).data, args: () => [t([1, 2]), [3, 2]] },
  { name: 'ops.sum', export: 'ops', call: (a, ax) => ops.sum(a, ax).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1] },
  { name: 'ops.mean', export: 'ops', call: (a, ax) => ops.mean(a, ax).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1] },
  { name: 'ops.max', export: 'ops', call: (a, ax) => ops.max(a, ax).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1] },
  { name: 'ops.logSumExp', export: 'ops', call: (a, ax) => ops.logSumExp(a, ax).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1] },
  { name: 'ops.softmax', export: 'ops', call: (a, ax) => ops.softmax(a, ax).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1] },
  { name: 'ops.logSoftmax', export: 'ops', call: (a, ax) => ops.logSoftmax(a, ax).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1] },
  { name: 'ops.reshape', export: 'ops', call: (a, s) => ops.reshape(a, s).data, args: () => [t([1, 2, 3, 4]), [2, 2]] },
  { name: 'ops.permute', export: 'ops', call: (a, p) => ops.permute(a, p).data, args: () => [t([1, 2, 3, 4, 5, 6], [1, 2, 3]), [2, 0, 1]] },
  { name: 'ops.transpose', export: 'ops', call: (a, i, j) => ops.transpose(a, i, j).data, args: () => [t([1, 2, 3, 4], [2, 2]), 0, 1] },
  { name: 'ops.slice', export: 'ops', call: (a, ax, s, e) => ops.slice(a, ax, s, e).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1, 0, 1] },
  { name: 'ops.concat', export: 'ops', call: (xs, ax) => ops.concat(xs, ax).data, args: () => [[t([1, 2]), t([3])], 0] },
  { name: 'ops.stack', export: 'ops', call: (xs, ax) => ops.stack(xs, ax).data, args: () => [[t([1, 2]), t([3, 4])], 0] },
  { name: 'ops.indexSelect', export: 'ops', call: (x, ax, idx) => ops.indexSelect(x, ax, idx).data, args: () => [t([1, 2, 3, 4], [2, 2]), 0, [1, 0]] },
  { name: 'ops.gather', export: 'ops', call: (x, ax, idx) => ops.gather(x, ax, idx).data, args: () => [t([1, 2, 3, 4], [2, 2]), 1, [1, 0]] },
  { name: 'ops.where', export: 'ops', call: (c, a, b) => ops.where(c, a, b).data, args: () => [t([1, 0]), t([1, 2]), t([3, 4])] },
  { name: 'ops.dropout', export: 'ops', call: (x, p, r) => ops.dropout(x, p, r).data, args: () => [t([1, 2, 3, 4]), 0.5, rng()] },
  { name: 'ops.fftConv1d', export: 'ops', call: (u, h) => ops.fftConv1d(u, h).data, args: () => [t([1, 2, 3, 4], [1, 4]), t([1, 0.5], [1, 2])] },
  { name: 'ops.conv1d', export: 'ops', call: (x, w, o) => ops.conv1d(x, w, o).data, args: () => [t([1, 2, 3, 4], [1, 1, 4]), t([1, -1], [1, 1, 2]), { stride: 1, padding: 0 }], options: 2 },
  {
    name: 'ops.conv2d',
    export: 'ops',
    call: (x, w, o) => ops.conv2d(x, w, o).data,
    args: () => [t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]), t([1, 0, 0, 1], [1, 1, 2, 2]), { stride: 1, padding: 0 }],
    options: 2,
  },
  { name: 'ops.maxPool2d', export: 'ops', call: (x, k, o) => ops.maxPool2d(x, k, o).data, args: () => [t([1, 2, 3, 4], [1, 1, 2, 2]), 2, { stride: 2 }], options: 2 },
  { name: 'ops.avgPool2d', export: 'ops', call: (x, k, o) => ops.avgPool2d(x, k, o).data, args: () => [t([1, 2, 3, 4], [1, 1, 2, 2]), 2, { stride: 2 }], options: 2 },
  // nn/
  { name: 'glorotUniform', call: (s, fi, fo) => core.glorotUniform(rng(), s, fi, fo).data, args: () => [[2, 3], 3, 2] },
  { name: 'heNormal', call: (s, fi) => core.heNormal(rng(), s, fi).data, args: () => [[2, 3], 3] },
  { name: 'Linear', call: (i, o, opt) => new Linear(i, o, opt).forward(Tensor.ones([1, i])).data, args: () => [2, 3, { seed: 1 }], options: 2 },
  { name: 'MLP', call: (s, opt) => new MLP(s, opt).forward(Tensor.ones([1, 2])).data, args: () => [[2, 4, 1], { activation: 'tanh', seed: 1 }], options: 1 },
  { name: 'GRUCell', call: (i, h, opt) => new GRUCell(i, h, opt).forward(Tensor.ones([1, i]), Tensor.zeros([1, h])).data, args: () => [2, 3, { seed: 1 }], options: 2 },
  { name: 'Conv1d', call: (i, o, k, opt) => new Conv1d(i, o, k, opt).forward(Tensor.ones([1, i, 5])).data, args: () => [1, 2, 3, { seed: 1 }], options: 3 },
  { name: 'Conv2d', call: (i, o, k, opt) => new Conv2d(i, o, k, opt).forward(Tensor.ones([1, i, 4, 4])).data, args: () => [1, 2, 3, { seed: 1 }], options: 3 },
  {
    name: 'DepthwiseSeparableConv2d',
    call: (i, o, k, opt) => new DepthwiseSeparableConv2d(i, o, k, opt).forward(Tensor.ones([1, i, 4, 4])).data,
    args: () => [2, 2, 3, { seed: 1 }],
    options: 3,
  },
  { name: 'Embedding', call: (n, d, opt) => new Embedding(n, d, opt).forward([0, 1]).data, args: () => [4, 3, { seed: 1 }], options: 2 },
  { name: 'LayerNorm', call: (d, eps) => new LayerNorm(d, eps).forward(t([1, 2, 3], [1, 3])).data, args: () => [3, 1e-5] },
  { name: 'mseLoss', call: (a, b) => core.mseLoss(a, b).item(), args: () => [t([1, 2]), t([1.5, 2.5])] },
  { name: 'bceWithLogitsLoss', call: (a, b) => core.bceWithLogitsLoss(a, b).item(), args: () => [t([1, -2]), t([1, 0])] },
  { name: 'crossEntropyWithLogitsLoss', call: (a, y) => core.crossEntropyWithLogitsLoss(a, y).item(), args: () => [t([1, 2, 3, 1, 0, 0], [2, 3]), [2, 0]] },
  { name: 'gaussianNllLoss', call: (m, lv, y) => core.gaussianNllLoss(m, lv, y).item(), args: () => [t([1, 2]), t([0, 0.5]), t([1.5, 2])] },
  { name: 'accuracy', call: (a, y) => core.accuracy(a, y), args: () => [t([1, 2, 3, 1, 0, 0], [2, 3]), [2, 0]] },
  {
    name: 'clipGradNorm',
    // in place by design (it scales the gradients it is given): the case hands it copies
    call: (g, m) => core.clipGradNorm(Array.isArray(g) ? g.map((x) => (x instanceof Tensor ? new Tensor(x.data.slice(), x.shape) : x)) : g, m),
    args: () => [[t([3, 4])], 1],
  },
  {
    name: 'createAdamOptimizer',
    call: (o) => {
      const p = Tensor.fromArray([1, 2], [2], { requiresGrad: true });
      createAdamOptimizer([p], o).step([t([1, -1])]);
      return p.data;
    },
    args: () => [{ lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, clipNorm: 10 }],
    options: 0,
  },
  {
    name: 'createSgdOptimizer',
    call: (o) => {
      const p = Tensor.fromArray([1, 2], [2], { requiresGrad: true });
      createSgdOptimizer([p], o).step([t([1, -1])]);
      return p.data;
    },
    args: () => [{ lr: 0.1, momentum: 0.5, weightDecay: 0, clipNorm: 10 }],
    options: 0,
  },
  {
    name: 'train',
    call: (o) => {
      const w = Tensor.fromArray([3], [1], { requiresGrad: true });
      return core.train(() => ops.sum(ops.square(w)), { optimizer: createAdamOptimizer([w], { lr: 0.1 }), ...o }).losses;
    },
    args: () => [{ steps: 5, targetLoss: 1e-3, progressEvery: 2 }],
    options: 0,
  },
  {
    name: 'trainAsync',
    call: async (o) => {
      const w = Tensor.fromArray([3], [1], { requiresGrad: true });
      return (await core.trainAsync(() => ops.sum(ops.square(w)), { optimizer: createAdamOptimizer([w], { lr: 0.1 }), ...o })).losses;
    },
    args: () => [{ steps: 5, targetLoss: 1e-3, progressEvery: 2 }],
    options: 0,
  },
  { name: 'convParameterCount', call: (k, i, o) => core.convParameterCount(k, i, o), args: () => [3, 4, 8] },
  { name: 'convMultiplyCount', call: (k, i, o, s) => core.convMultiplyCount(k, i, o, s), args: () => [3, 4, 8, 10] },
];

// fromJSON of every layer: each field of the JSON replaced one at a time (config fields, a weight, a shape).
const layers: [string, { fromJSON(j: unknown): unknown }, () => { toJSON(): unknown }][] = [
  ['Linear', Linear as never, () => new Linear(2, 3, { seed: 1 })],
  ['MLP', MLP as never, () => new MLP([2, 3, 1], { activation: 'tanh', seed: 1 })],
  ['GRUCell', GRUCell as never, () => new GRUCell(2, 3, { seed: 1 })],
  ['Conv1d', Conv1d as never, () => new Conv1d(1, 2, 3, { seed: 1 })],
  ['Conv2d', Conv2d as never, () => new Conv2d(1, 2, 3, { seed: 1 })],
  ['DepthwiseSeparableConv2d', DepthwiseSeparableConv2d as never, () => new DepthwiseSeparableConv2d(2, 2, 3, { seed: 1 })],
  ['Embedding', Embedding as never, () => new Embedding(4, 3, { seed: 1 })],
  ['LayerNorm', LayerNorm as never, () => new LayerNorm(3)],
];
for (const [name, cls, make] of layers) {
  const json = () => JSON.parse(JSON.stringify(make().toJSON())) as { kind: string; version: number; config: Record<string, unknown>; params: Record<string, { shape: number[]; data: number[] }> };
  const firstParam = Object.keys(json().params)[0] as string;
  cases.push({
    name: `${name}.fromJSON (config)`,
    export: name,
    call: (config) => (cls.fromJSON({ ...json(), config }) as { toJSON(): unknown }).toJSON(),
    args: () => [json().config],
    options: 0,
  });
  cases.push({
    name: `${name}.fromJSON (weights)`,
    export: name,
    call: (data, shape) => {
      const j = json();
      const p = j.params[firstParam] as { shape: unknown; data: unknown };
      p.data = data;
      p.shape = shape;
      return (cls.fromJSON(j) as { toJSON(): unknown }).toJSON();
    },
    args: () => [json().params[firstParam]?.data, json().params[firstParam]?.shape],
  });
  cases.push({
    name: `${name}.fromJSON (document)`,
    export: name,
    call: (kind, version, params) => (cls.fromJSON({ ...json(), kind, version, params }) as { toJSON(): unknown }).toJSON(),
    args: () => [json().kind, json().version, json().params],
  });
}

