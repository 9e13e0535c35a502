/**
 * Parameter and multiply counts of standard vs depthwise-separable convolution (notes, "Depthwise
 * Separable Convolution"; Howard et al., MobileNets, 2017, §3.1).
 */
import { assertInteger } from '../errors/index.js';

/** Counts of a standard and a depthwise-separable convolution and their ratio. */
export interface ConvCount {
  /** Standard k×k convolution. */
  standard: number;
  /** Depthwise k×k + pointwise 1×1. */
  depthwiseSeparable: number;
  /** depthwiseSeparable / standard $= 1/N + 1/D_K^2$. */
  ratio: number;
}

/**
 * Weights (no bias) of a $D_K\times D_K$ convolution from M to N channels: standard $D_K^2 M N$,
 * depthwise-separable $D_K^2 M + M N$.
 * @throws DomainError unless the arguments are positive integers.
 * @example convParameterCount(3, 32, 64) // { standard: 18432, depthwiseSeparable: 2336, ratio: 0.1267… }
 */
export function convParameterCount(kernelSize: number, inChannels: number, outChannels: number): ConvCount {
  assertInteger('convParameterCount', 'kernelSize', kernelSize, 1);
  assertInteger('convParameterCount', 'inChannels', inChannels, 1);
  assertInteger('convParameterCount', 'outChannels', outChannels, 1);
  const k2 = kernelSize * kernelSize;
  const standard = k2 * inChannels * outChannels;
  const depthwiseSeparable = k2 * inChannels + inChannels * outChannels;
  return { standard, depthwiseSeparable, ratio: depthwiseSeparable / standard };
}

/**
 * Multiplications for a $D_F \times D_F$ output map: standard $D_K^2 M N D_F^2$, depthwise-separable
 * $D_K^2 M D_F^2 + M N D_F^2$; ratio $1/N + 1/D_K^2$.
 * @throws DomainError unless the arguments are positive integers.
 */
export function convMultiplyCount(kernelSize: number, inChannels: number, outChannels: number, outputSize: number): ConvCount {
  assertInteger('convMultiplyCount', 'outputSize', outputSize, 1);
  const p = convParameterCount(kernelSize, inChannels, outChannels);
  const f2 = outputSize * outputSize;
  return { standard: p.standard * f2, depthwiseSeparable: p.depthwiseSeparable * f2, ratio: p.ratio };
}
