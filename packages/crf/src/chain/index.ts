export { chainLogPartition, chainMarginals, chainPairwiseMarginals, chainViterbi } from './chain.js';
export type { ChainMarginals, ChainPairwiseMarginals, ViterbiResult } from './chain.js';
export { chainBruteForce } from './bruteForce.js';
export type { ChainBruteForce } from './bruteForce.js';
export { assertNoOverflow, flattenScores } from './scores.js';
export type { FlatScores, ScoreInput } from './scores.js';
export { ChainWorkspace, backwardLog, forwardLog, lseRow, nodeMarginals, pairwiseMarginals, viterbiKernel } from './kernels.js';
export { ScaledWorkspace, scaledExpectations, scaledExpectationsExp, scaledForwardBackward } from './scaled.js';
