import { describe, expect, test } from 'vitest';
import { DomainError } from '../errors/index.js';
import { isSuccessReason, readFitReport, STOP_REASONS } from './report.js';

describe('readFitReport: converged must agree with reason (docs/conventions.md)', () => {
  test.each(STOP_REASONS.map((r) => [r]))('reason %s with the contradicting converged flag is a DomainError naming report.converged', (reason) => {
    const json = { converged: !isSuccessReason(reason), reason, iterations: 3, elapsedMs: 1 };
    expect(() => readFitReport('Model.fromJSON', json)).toThrow(DomainError);
    expect(() => readFitReport('Model.fromJSON', json)).toThrow(/report\.converged/);
  });

  test.each(STOP_REASONS.map((r) => [r]))('reason %s with the agreeing flag round-trips', (reason) => {
    const json = { converged: isSuccessReason(reason), reason, iterations: 3, elapsedMs: 1 };
    expect(readFitReport('Model.fromJSON', json)).toEqual(json);
  });
});
