export {
  type AcquisitionKind,
  type AcquisitionParams,
  acquisition,
  expectedImprovement,
  lowerConfidenceBound,
  probabilityOfImprovement,
} from './acquisitions.js';
export { type MaximizeOptions, maximizeInBox } from './maximize.js';
export { type BOProgress, type BOStep, type MinimizeOptions, type MinimizePartial, type MinimizeResult, minimize, minimizeAsync } from './minimize.js';
export { BayesianOptimizer, type BayesianOptimizerOptions } from './optimizer.js';
export { TrustRegion, type TrustRegionOptions } from './trustRegion.js';
export { ackley5, branin, hartmann6, type TestProblem } from './testFunctions.js';
