/**
 * Convolution layers: Conv1d, Conv2d and the notes' depthwise-separable block.
 */
import { ops, Tensor } from '../autodiff/index.js';
import { assertInteger, DomainError, describeValue, ShapeError } from '../errors/index.js';
import { type InitOptions, initWeight, rngOf } from './init.js';
import { Module, type ModuleJSON, readModuleConfig, SIZE_RULE } from './module.js';

/** Options of the convolution layers. */
export interface ConvLayerOptions extends InitOptions {
  /** @defaultValue 1 */
  stride?: number;
  /** Zeros on each side. @defaultValue 0 */
  padding?: number;
  /** Channel groups (= in channels for depthwise). @defaultValue 1 */
  groups?: number;
  /** Add a per-channel bias. @defaultValue true */
  bias?: boolean;
}

type ConvConfig = {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride: number;
  padding: number;
  groups: number;
  bias: boolean;
};

function convConfig(where: string, inC: number, outC: number, k: number, o: ConvLayerOptions): ConvConfig {
  assertInteger(where, 'inChannels', inC, 1);
  assertInteger(where, 'outChannels', outC, 1);
  assertInteger(where, 'kernelSize', k, 1);
  const groups = o.groups ?? 1;
  assertInteger(where, 'groups', groups, 1);
  if (inC % groups !== 0 || outC % groups !== 0) {
    throw new ShapeError(`${where}: groups = ${groups} must divide inChannels = ${inC} and outChannels = ${outC}`);
  }
  const stride = o.stride ?? 1;
  assertInteger(where, 'stride', stride, 1);
  const padding = o.padding ?? 0;
  assertInteger(where, 'padding', padding, 0);
  const bias = o.bias ?? true;
  if (typeof bias !== 'boolean') throw new DomainError(`${where}: option 'bias' must be a boolean, got ${describeValue(bias)}`);
  return { inChannels: inC, outChannels: outC, kernelSize: k, stride, padding, groups, bias };
}

const CONV_SPEC = {
  inChannels: SIZE_RULE,
  outChannels: SIZE_RULE,
  kernelSize: SIZE_RULE,
  stride: SIZE_RULE,
  padding: { type: 'integer', min: 0 },
  groups: SIZE_RULE,
  bias: { type: 'boolean' },
} as const;

function options(c: ConvConfig): ConvLayerOptions {
  return { stride: c.stride, padding: c.padding, groups: c.groups, bias: c.bias };
}

/**
 * 2-D convolution layer over [N, C, H, W] (square kernel): `ops.conv2d` plus a bias per output
 * channel. Weight [O, C/groups, k, k], He-normal by default (fan-in C/groups·k²).
 */
export class Conv2d extends Module {
  readonly kind: string = 'Conv2d';
  protected readonly config: ConvConfig;
  /** [O, C/groups, k, k]. */
  readonly weight: Tensor;
  /** [O], or null. */
  readonly bias: Tensor | null;

  /** @throws DomainError for non-positive sizes; ShapeError if groups does not divide the channels. */
  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: ConvLayerOptions = {}) {
    super();
    const c = convConfig('Conv2d', inChannels, outChannels, kernelSize, opts);
    this.config = c;
    const fanIn = (inChannels / c.groups) * kernelSize * kernelSize;
    const shape = [outChannels, Math.floor(inChannels / c.groups), kernelSize, kernelSize];
    this.weight = this.param('weight', initWeight(opts.init ?? 'he', rngOf(opts), shape, fanIn, (outChannels / c.groups) * kernelSize * kernelSize));
    this.bias = c.bias ? this.param('bias', Tensor.zeros([outChannels])) : null;
  }

  /** @throws ShapeError naming both shapes on a channel mismatch. */
  forward(x: Tensor): Tensor {
    const { stride, padding, groups } = this.config;
    const y = ops.conv2d(x, this.weight, { stride, padding, groups });
    return this.bias ? ops.add(y, ops.reshape(this.bias, [-1, 1, 1])) : y;
  }

  /** Rebuilds a layer from {@link Module.toJSON} output. */
  static fromJSON(json: ModuleJSON): Conv2d {
    const c = readModuleConfig<ConvConfig>('Conv2d', json, CONV_SPEC);
    return new Conv2d(c.inChannels, c.outChannels, c.kernelSize, options(c)).loadJSON(json);
  }
}

/** 1-D convolution layer over [N, C, L]: `ops.conv1d` plus bias. Weight [O, C/groups, k]. */
export class Conv1d extends Module {
  readonly kind = 'Conv1d';
  protected readonly config: ConvConfig;
  /** [O, C/groups, k]. */
  readonly weight: Tensor;
  /** [O], or null. */
  readonly bias: Tensor | null;

  /** @throws DomainError for non-positive sizes. */
  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: ConvLayerOptions = {}) {
    super();
    const c = convConfig('Conv1d', inChannels, outChannels, kernelSize, opts);
    this.config = c;
    const shape = [outChannels, Math.floor(inChannels / c.groups), kernelSize];
    this.weight = this.param('weight', initWeight(opts.init ?? 'he', rngOf(opts), shape, (inChannels / c.groups) * kernelSize, (outChannels / c.groups) * kernelSize));
    this.bias = c.bias ? this.param('bias', Tensor.zeros([outChannels])) : null;
  }

  /** @throws ShapeError naming both shapes on a channel mismatch. */
  forward(x: Tensor): Tensor {
    const { stride, padding, groups } = this.config;
    const y = ops.conv1d(x, this.weight, { stride, padding, groups });
    return this.bias ? ops.add(y, ops.reshape(this.bias, [-1, 1])) : y;
  }

  /** Rebuilds a layer from {@link Module.toJSON} output. */
  static fromJSON(json: ModuleJSON): Conv1d {
    const c = readModuleConfig<ConvConfig>('Conv1d', json, CONV_SPEC);
    return new Conv1d(c.inChannels, c.outChannels, c.kernelSize, options(c)).loadJSON(json);
  }
}

/**
 * The notes' depthwise-separable convolution: a depthwise k×k convolution (`groups = C`, one filter
 * per channel) followed by a pointwise 1×1 convolution mixing channels — $D_K^2 M + MN$ weights
 * instead of $D_K^2 MN$ (Howard et al., MobileNets, 2017). `activation` between the two is optional.
 */
export class DepthwiseSeparableConv2d extends Module {
  readonly kind = 'DepthwiseSeparableConv2d';
  protected readonly config: ConvConfig;
  /** Depthwise part, weight [C, 1, k, k]. */
  readonly depthwise: Conv2d;
  /** Pointwise part, weight [O, C, 1, 1]. */
  readonly pointwise: Conv2d;

  /** @throws DomainError for non-positive sizes. */
  constructor(inChannels: number, outChannels: number, kernelSize: number, opts: Omit<ConvLayerOptions, 'groups'> = {}) {
    super();
    const c = convConfig('DepthwiseSeparableConv2d', inChannels, outChannels, kernelSize, { ...opts, groups: 1 });
    this.config = c;
    const rng = rngOf(opts);
    this.depthwise = this.child(
      'depthwise',
      new Conv2d(inChannels, inChannels, kernelSize, { stride: c.stride, padding: c.padding, groups: inChannels, bias: c.bias, rng, init: opts.init }),
    );
    this.pointwise = this.child('pointwise', new Conv2d(inChannels, outChannels, 1, { bias: c.bias, rng, init: opts.init }));
  }

  /** pointwise(depthwise(x)). @throws ShapeError naming both shapes on a channel mismatch. */
  forward(x: Tensor): Tensor {
    return this.pointwise.forward(this.depthwise.forward(x));
  }

  /** Rebuilds a block from {@link Module.toJSON} output. */
  static fromJSON(json: ModuleJSON): DepthwiseSeparableConv2d {
    const c = readModuleConfig<ConvConfig>('DepthwiseSeparableConv2d', json, CONV_SPEC);
    return new DepthwiseSeparableConv2d(c.inChannels, c.outChannels, c.kernelSize, { stride: c.stride, padding: c.padding, bias: c.bias }).loadJSON(json);
  }
}
