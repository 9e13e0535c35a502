/**
 * The gradient tape. A tape is open only while `valueAndGrad`/`grad`/`variableGrads`/`jacobian` run
 * their function; an op is recorded only when one of its inputs is being differentiated (a watched
 * leaf or an output already on the tape). Tensors refer to their tape by a numeric id, never by
 * reference, so a closed tape is garbage as soon as its gradients are returned: loops do not grow
 * memory (see `tapeStats`).
 *
 * Reverse mode (Griewank & Walther, "Evaluating Derivatives", 2nd ed., SIAM 2008, ch. 3): nodes are
 * stored in creation order, which is a topological order, and the backward sweep visits them in
 * reverse, calling each node's vector–Jacobian product $\bar x_j \mathrel{+}= \bar y\,\partial y/\partial x_j$.
 */
import { NonFiniteError, DomainError, describeValue } from '../errors/index.js';
import { shapeStr, Tensor, checkTensor } from './tensor.js';

/**
 * A vector–Jacobian product: given the output cotangent `g` (same layout as the output), returns the
 * cotangent of each input (same layout as that input), or null where `needs[j]` is false.
 * Returned arrays may alias `g`; the tape copies before accumulating into shared arrays.
 * `gOwned` is true when the tape hands `g` over (nothing else holds it and the sweep never reads it again):
 * the VJP may then overwrite `g` and return it as one of its results.
 */
export type Vjp = (g: Float64Array, needs: readonly boolean[], gOwned: boolean) => (Float64Array | null)[];

/**
 * What an op promises about the arrays its VJP returns (see {@link makeOutput}): `true` — each is newly
 * allocated by that call or is `g` handed over with `gOwned`, distinct from the others and referenced nowhere
 * else; `'passthrough'` — each is newly allocated or `g` itself, so the results are the tape's exactly when `g`
 * was (e.g. `reshape`); `false` (default) — no promise, the tape copies before writing.
 */
export type FreshGrads = boolean | 'passthrough';

interface Node {
  op: string;
  inputs: readonly Tensor[];
  vjp: Vjp;
  /** Whether the tape may own the arrays the VJP returns (see {@link makeOutput}). */
  fresh: FreshGrads;
}

/** @internal one recording session. */
export class Tape {
  readonly id: number;
  readonly nodes: Node[] = [];
  /** Leaves being differentiated; null means "every tensor with requiresGrad". */
  readonly watched: Set<Tensor> | null;
  constructor(id: number, watched: Set<Tensor> | null) {
    this.id = id;
    this.watched = watched;
  }
  tracks(t: Tensor): boolean {
    if (t._tapeId === this.id) return true;
    return this.watched === null ? t.requiresGrad : this.watched.has(t);
  }
}

let nextTapeId = 1;
const stack: (Tape | null)[] = [];
let liveNodes = 0;
let nanCheck = false;

/** @internal opens a tape (closed by {@link closeTape}). */
export function openTape(watched: Set<Tensor> | null): Tape {
  const tape = new Tape(nextTapeId++, watched);
  stack.push(tape);
  return tape;
}

/** @internal pops `tape` from the stack (it stays usable for backward sweeps). */
export function popTape(tape: Tape): void {
  const top = stack.pop();
  if (top !== tape) throw new Error('autodiff: tape stack corrupted (nested tapes closed out of order)');
}

/** @internal drops a tape's nodes. */
export function releaseTape(tape: Tape): void {
  liveNodes -= tape.nodes.length;
  tape.nodes.length = 0;
}

function currentTape(): Tape | null {
  return stack.length === 0 ? null : stack[stack.length - 1];
}

/** True when an op on these inputs would be recorded (ops use it to skip saving backward state). */
export function isRecording(inputs: readonly Tensor[]): boolean {
  const tape = currentTape();
  if (tape === null) return false;
  for (const t of inputs) if (tape.tracks(t)) return true;
  return false;
}

function firstNonFinite(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) return i;
  }
  return -1;
}

/**
 * @internal creates an op's output tensor and records it when needed. In NaN-check mode, a non-finite
 * output throws `NonFiniteError` naming the op.
 *
 * `freshGrads` (see {@link FreshGrads}): when the op promises that the arrays its VJP returns are its own
 * (newly allocated, or `g` handed over), the backward sweep takes ownership of them: it accumulates into them
 * in place, hands them on as an owned `g`, and returns a parameter's gradient without the defensive copy it
 * makes of arrays that may alias (same values, one copy and allocation fewer).
 */
export function makeOutput(
  op: string,
  data: Float64Array,
  shape: readonly number[],
  inputs: readonly Tensor[],
  vjp: Vjp,
  freshGrads: FreshGrads = false,
): Tensor {
  if (nanCheck) {
    const i = firstNonFinite(data);
    if (i >= 0) {
      const shapes = inputs.map((t) => shapeStr(t.shape)).join(', ');
      throw new NonFiniteError(
        `nanCheck: op '${op}' produced ${data[i]} in the forward pass at index ${i} (output ${shapeStr(shape)}, inputs ${shapes})`,
      );
    }
  }
  const out = new Tensor(data, shape);
  const tape = currentTape();
  if (tape !== null) {
    for (const t of inputs) {
      if (tape.tracks(t)) {
        out._tapeId = tape.id;
        out._node = tape.nodes.length;
        tape.nodes.push({ op, inputs, vjp, fresh: freshGrads });
        liveNodes++;
        break;
      }
    }
  }
  return out;
}

interface Slot {
  g: Float64Array;
  owned: boolean;
}

/** Adds cotangent `g` (owned by the tape when `fresh`) into a slot; copies only an unowned array it must write. */
function accumulate(slot: Slot | undefined, g: Float64Array, fresh: boolean): Slot {
  if (slot === undefined) return { g, owned: fresh };
  let acc: Float64Array;
  let other: Float64Array;
  if (slot.owned) {
    acc = slot.g;
    other = g;
  } else if (fresh) {
    acc = g;
    other = slot.g;
  } else {
    acc = slot.g.slice();
    other = g;
  }
  // same summands, so the same sum in either order (floating-point addition of two terms commutes)
  for (let i = 0; i < acc.length; i++) acc[i] += other[i];
  return { g: acc, owned: true };
}

/**
 * @internal reverse sweep from `output` (recorded on `tape`) with cotangent `seed`; returns the
 * cotangent of each of `wrt` (zeros where the output does not depend on it). The tape is kept, so
 * several sweeps may run (used by `jacobian`).
 */
export function backward(tape: Tape, output: Tensor, seed: Float64Array, wrt: readonly Tensor[]): Float64Array[] {
  checkTensor('backward', 'output', output);
  const leaf = new Map<Tensor, Slot>();
  // an owned array is handed out once; a tensor listed twice in `wrt` gets a copy the second time (callers such as
  // clipGradNorm and the optimizers write gradients in place)
  const handedOut = new Set<Float64Array>();
  const result = (): Float64Array[] =>
    wrt.map((t) => {
      const s = t._tapeId === tape.id ? undefined : leaf.get(t);
      if (s === undefined) return new Float64Array(t.size);
      if (!s.owned || handedOut.has(s.g)) return s.g.slice();
      handedOut.add(s.g);
      return s.g;
    });
  if (output._tapeId !== tape.id) {
    // The output does not depend on any watched tensor (or is itself a watched leaf).
    for (const t of wrt) if (t === output) leaf.set(t, { g: seed, owned: false });
    return result();
  }
  const slots: (Slot | undefined)[] = new Array(output._node + 1);
  slots[output._node] = { g: seed, owned: false };
  for (let i = output._node; i >= 0; i--) {
    const slot = slots[i];
    if (slot === undefined) continue;
    slots[i] = undefined;
    const node = tape.nodes[i];
    const needs = node.inputs.map((t) => tape.tracks(t));
    const gs = node.vjp(slot.g, needs, slot.owned);
    const fresh = node.fresh === 'passthrough' ? slot.owned : node.fresh;
    for (let j = 0; j < node.inputs.length; j++) {
      const gj = gs[j];
      if (!needs[j] || gj === null || gj === undefined) continue;
      if (nanCheck) {
        const k = firstNonFinite(gj);
        if (k >= 0) {
          throw new NonFiniteError(
            `nanCheck: op '${node.op}' produced ${gj[k]} in the backward pass for input ${j} (shape ${shapeStr(node.inputs[j].shape)}) at index ${k}`,
          );
        }
      }
      const t = node.inputs[j];
      if (t._tapeId === tape.id) slots[t._node] = accumulate(slots[t._node], gj, fresh);
      else leaf.set(t, accumulate(leaf.get(t), gj, fresh));
    }
  }
  return result();
}

/**
 * Runs `fn` with gradient recording switched off (inside an open tape, nothing is recorded).
 * @example const y = noGrad(() => ops.mul(x, 2)); // y is a constant even inside valueAndGrad
 */
export function noGrad<T>(fn: () => T): T {
  stack.push(null);
  try {
    return fn();
  } finally {
    stack.pop();
  }
}

/** A tensor with the same values that gradients do not flow through (shares storage). */
export function detach(t: Tensor): Tensor {
  checkTensor('detach', 't', t);
  return new Tensor(t.data, t.shape);
}

/**
 * Switches NaN-check mode on or off and returns the previous setting. When on, every op checks its
 * output (forward) and every vector–Jacobian product its result (backward), and the first NaN or
 * ±Infinity throws `NonFiniteError` naming the op, e.g. `nanCheck: op 'log' produced -Infinity in
 * the forward pass`. Off by default (it costs one pass over every array).
 */
export function setNanCheck(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new DomainError(`setNanCheck: argument 'on' must be a boolean, got ${describeValue(on)}`);
  const prev = nanCheck;
  nanCheck = on;
  return prev;
}

/** Runs `fn` with NaN-check mode on (see {@link setNanCheck}), restoring the previous setting after. */
export function withNanCheck<T>(fn: () => T): T {
  const prev = setNanCheck(true);
  try {
    return fn();
  } finally {
    setNanCheck(prev);
  }
}

/** Diagnostics: tapes currently open and nodes held by them (both 0 between training steps). */
export function tapeStats(): { openTapes: number; liveNodes: number } {
  return { openTapes: stack.filter((t) => t !== null).length, liveNodes };
}
