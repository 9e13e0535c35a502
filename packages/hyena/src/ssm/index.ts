export { continuousSSM, discreteSSM, eigenvalues, ssmKernel, ssmScan } from './ssm.js';
export type { ContinuousSSM, DiscreteSSM, SSMParams } from './ssm.js';
export { discretize } from './discretize.js';
export type { DiscretizeOptions } from './discretize.js';
export { diagonalSSM, hippoLegS } from './init.js';
export type { SSMInitOptions } from './init.js';
export { ssmConvolve } from './convolution.js';
export { expm } from './expm.js';
