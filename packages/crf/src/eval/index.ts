export { chunkF1, evaluateTagging, extractChunks } from './metrics.js';
export type { Chunk, ChunkReport, TaggingReport, TagScore } from './metrics.js';
export { formatConll, parseConll } from './conll.js';
export type { ConllSentence, ParseConllOptions } from './conll.js';
