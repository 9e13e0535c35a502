export { brownSplit, parseBrown } from './brown.js';
export type { BrownTagset, ParseBrownOptions } from './brown.js';
export { baseBrownTag, brownToUniversal, UNIVERSAL_TAGS } from './universal.js';
export type { UniversalTag } from './universal.js';
