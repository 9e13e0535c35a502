export { type StickBreakingDraw, type StickBreakingOptions, sampleStickBreaking } from './stick-breaking.js';
export { type CrpDraw, expectedClusters, samplePolyaUrn, sampleCRP } from './crp.js';
