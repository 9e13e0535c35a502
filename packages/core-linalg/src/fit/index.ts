/**
 * Fit conventions shared by every @notes estimator: the {@link FitReport} shape, the
 * {@link StopReason} union, progress records and the one-loop/two-drivers pattern behind every
 * `fitX` / `fitXAsync` pair. See `docs/conventions.md`.
 * @packageDocumentation
 */
export { isSuccessReason, makeFitReport, readFitReport, STOP_REASONS } from './report.js';
export type { FitProgress, FitReport, FitReportInput, StopReason } from './report.js';
export { runFit, runFitAsync, stopwatch, yieldToEventLoop } from './driver.js';
export type { AsyncDriverOptions, Checkpoint, DriverOptions, FitLoop } from './driver.js';
