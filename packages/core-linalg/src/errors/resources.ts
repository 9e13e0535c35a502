/**
 * Memory guards: calls that would allocate O(n²) memory or more estimate the bytes first and throw a
 * typed {@link ResourceError} above a budget, instead of growing until the process is killed.
 */
import { describeValue } from './describe.js';
import { DEFAULT_MAX_MEMORY_BYTES, DomainError, ResourceError } from './errors.js';

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toPrecision(3)} ${units[u]}`;
}

/** Options of {@link checkMemory}. */
export interface MemoryBudget {
  /** Budget in bytes. @defaultValue {@link DEFAULT_MAX_MEMORY_BYTES} (2 GiB) */
  maxMemoryBytes?: number;
  /** The scalable alternative to name in the message, e.g. "method: 'cg'" or "fitSVGP". */
  alternative?: string;
}

/**
 * Throws {@link ResourceError} when `bytes` (the caller's estimate of what it is about to allocate)
 * exceeds the budget. Call it before the allocation.
 * @param where - function name for the message.
 * @param what - what would be allocated, e.g. "the 50000×50000 kernel matrix".
 * @param bytes - estimated bytes (may be non-finite or astronomically large: it is only compared).
 * @throws DomainError when `maxMemoryBytes` is not a positive number; ResourceError above budget.
 * @example
 * checkMemory('fitGP', `the ${n}×${n} kernel matrix`, 8 * n * n * 3, { maxMemoryBytes, alternative: "method: 'cg'" });
 */
export function checkMemory(where: string, what: string, bytes: number, budget: MemoryBudget = {}): void {
  const max = budget.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
  if (typeof max !== 'number' || !(max > 0)) {
    throw new DomainError(`${where}: option 'maxMemoryBytes' must be a number > 0, got ${describeValue(max)}`);
  }
  if (!(bytes <= max)) {
    const alt = budget.alternative ? `; use ${budget.alternative} instead, or raise maxMemoryBytes` : '; raise maxMemoryBytes to allow it';
    throw new ResourceError(
      `${where}: ${what} needs about ${formatBytes(bytes)}, above the budget of ${formatBytes(max)} (maxMemoryBytes)${alt}`,
      bytes,
      max,
    );
  }
}
