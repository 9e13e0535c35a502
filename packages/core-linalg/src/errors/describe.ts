/**
 * How error messages print a received value: strings are quoted and every non-number says its type,
 * so `'3'` is never mistaken for `3`.
 */

const MAX_STRING = 40;

/**
 * A short, unambiguous description of any value for an error message.
 * @example
 * describeValue(3)          // '3'
 * describeValue('3')        // "'3' (string)"
 * describeValue(NaN)        // 'NaN'
 * describeValue([1, 2])     // 'an array of length 2'
 * describeValue(new Float32Array(4)) // 'a Float32Array of length 4'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? 'NaN' : String(value);
    case 'string': {
      const s = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
      return `'${s}' (string)`;
    }
    case 'boolean':
      return `${value} (boolean)`;
    case 'bigint':
      return `${value}n (bigint)`;
    case 'symbol':
      return `${String(value)} (symbol)`;
    case 'function':
      return 'a function';
    default:
      break;
  }
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor?.name ?? 'typed array';
    const length = (value as unknown as ArrayLike<unknown>).length;
    return length === undefined ? `a ${name}` : `a ${name} of length ${length}`;
  }
  const ctor = (value as object).constructor?.name;
  if (ctor && ctor !== 'Object') {
    const m = value as { rows?: unknown; columns?: unknown };
    if (typeof m.rows === 'number' && typeof m.columns === 'number') return `a ${m.rows}×${m.columns} ${ctor}`;
    return `a ${ctor}`;
  }
  return 'an object';
}
