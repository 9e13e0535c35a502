export { fitHMMTagger, HMMTagger } from './hmmTagger.js';
export type { FitHMMTaggerOptions, HMMTaggerJSON } from './hmmTagger.js';
export { buildSuffixModel, unknownWordLogEmission, wordClass } from './suffixModel.js';
export type { SuffixModelJSON } from './suffixModel.js';
