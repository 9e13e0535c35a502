/**
 * @notes/crf — graphical models, hidden Markov models and linear-chain conditional random fields from the
 * notes' "Conditional Probabilistic Graphical Model" chapter.
 * @packageDocumentation
 */
export * from './chain/index.js';
export * from './graphs/index.js';
export * from './hmm/index.js';
export * from './crf/index.js';
export * from './corpus/index.js';
export * from './eval/index.js';
export * from './tagger/index.js';
