export { associativeRecall, associativeRecallAnswer } from './recall.js';
export type { AssociativeRecallData, AssociativeRecallOptions } from './recall.js';
export { fitSequenceModel, fitSequenceModelAsync, SequenceModel } from './model.js';
export type { SequenceArchitecture, SequenceEvaluation, SequenceFitProgress, SequenceMixer, SequenceModelJSON, SequenceModelOptions } from './model.js';
