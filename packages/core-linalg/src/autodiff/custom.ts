/**
 * User-defined differentiable ops: a forward result computed by any code, with a hand-written
 * vector–Jacobian product, recorded on the open tape like core's own ops. For fusing many small ops into
 * one (fewer tape nodes, allocations and passes over memory) outside core; check every such VJP against
 * central differences with `gradcheck`.
 */
import { assertFinite, DomainError, describeValue, ShapeError } from '../errors/index.js';
import { makeOutput } from './tape.js';
import { checkTensors, shapeStr, sizeOf, type Tensor } from './tensor.js';

/**
 * The VJP of a {@link customOp}: given the output cotangent `g` (the output's layout, read-only), returns one
 * cotangent per input (that input's layout and length), or null where `needs[j]` is false or the output does
 * not depend on input j. Returned arrays must be newly allocated (the tape takes them over and accumulates
 * into them in place) and must not be `g`.
 */
export type CustomVjp = (g: Float64Array, needs: readonly boolean[]) => (Float64Array | null)[];

/**
 * Wraps `data` (the op's result, computed by the caller from the inputs' values; handed over, not copied) as
 * the output tensor of an op named `name` on `inputs`, recorded on the current autodiff tape when one of the
 * inputs is being differentiated. `vjp` runs only in the backward pass. Use {@link isRecording} first to skip
 * saving backward state when nothing is recorded.
 * @throws DomainError for a non-function `vjp` or empty `name`; ShapeError if `data` does not fit `shape`;
 *   NonFiniteError if `data` holds NaN/±Infinity; in the backward pass ShapeError if `vjp` returns the wrong
 *   number of arrays, an array of the wrong length, `g` itself or one array for two inputs.
 * @example
 * // y = x² elementwise with its VJP 2·x·ḡ
 * const square = (x: Tensor) =>
 *   customOp('square', x.data.map((v) => v * v), x.shape, [x], (g) => [g.map((gi, i) => 2 * x.data[i] * gi)]);
 */
export function customOp(name: string, data: Float64Array, shape: readonly number[], inputs: readonly Tensor[], vjp: CustomVjp): Tensor {
  if (typeof name !== 'string' || name.length === 0) throw new DomainError(`customOp: argument 'name' must be a non-empty string, got ${describeValue(name)}`);
  checkTensors(`customOp '${name}'`, 'inputs', inputs);
  if (typeof vjp !== 'function') throw new DomainError(`customOp '${name}': argument 'vjp' must be a function, got ${describeValue(vjp)}`);
  if (!(data instanceof Float64Array) || data.length !== sizeOf(shape)) {
    throw new ShapeError(`customOp '${name}': 'data' must be a Float64Array of ${sizeOf(shape)} values for shape ${shapeStr(shape)}, got ${describeValue(data)}`);
  }
  assertFinite(`customOp '${name}'`, 'data', data);
  const ins = [...inputs];
  return makeOutput(
    name,
    data,
    shape,
    ins,
    (g, needs) => {
      const gs = vjp(g, needs);
      if (!Array.isArray(gs) || gs.length !== ins.length) {
        throw new ShapeError(`customOp '${name}': the VJP must return ${ins.length} arrays (or nulls), got ${describeValue(gs)}`);
      }
      gs.forEach((gj, j) => {
        if (gj === null || !needs[j]) return;
        const t = ins[j] as Tensor;
        if (!(gj instanceof Float64Array) || gj.length !== t.size || gj === g || gs.indexOf(gj) !== j) {
          throw new ShapeError(`customOp '${name}': the VJP's cotangent ${j} must be a new Float64Array of ${t.size} values, not shared (input ${shapeStr(t.shape)}), got ${describeValue(gj)}`);
        }
      });
      return gs.map((gj, j) => (needs[j] ? gj : null));
    },
    true,
  );
}
