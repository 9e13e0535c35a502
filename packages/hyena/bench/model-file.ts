/** Reading saved models in the recall benches: `SequenceModel` JSON, plain or gzipped (`.gz`). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { SequenceModelJSON } from '../src/index.js';

/**
 * The parsed JSON of a model file (`.json` or `.json.gz`), for `SequenceModel.fromJSON` (after edits, if any;
 * `fromJSON` validates every field).
 */
export function readModelJson(file: string): SequenceModelJSON {
  const raw = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
}
