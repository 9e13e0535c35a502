export { fitHMMTagger, fitHMMTaggerAsync, HMMTagger } from './hmmTagger.js';
export type { FitHMMTaggerOptions, FittedHMMTagger, HMMTaggerJSON } from './hmmTagger.js';
export { buildSuffixModel, unknownWordLogEmission, wordClass } from './suffixModel.js';
export type { SuffixModelJSON } from './suffixModel.js';
