/**
 * Adversarial losses (notes: GAN — the minimax objective; f-divergences and their variational bounds;
 * Optimal transport — W1 through a 1-Lipschitz critic), written as autodiff ops on the critic's raw
 * outputs so that training and the tests use the same code.
 *
 * With raw critic outputs t (logits for the minimax objectives) on real samples x ~ P and generated ones
 * G(z) ~ Q, and weights w (1/n each for a batch; probabilities on a discrete support):
 *
 * | objective | critic maximises V | generator minimises |
 * |---|---|---|
 * | 'minimax' | E_P log D + E_Q log(1 − D), D = σ(t) | E_Q log(1 − D) (Goodfellow et al. 2014) |
 * | 'non-saturating' | as minimax | −E_Q log D |
 * | 'f-gan' | E_P g_f(t) − E_Q f*(g_f(t)) (Nowozin et al. 2016, eq. 6) | the same V (saddle point) |
 * | 'wgan' | E_P t − E_Q t (Arjovsky et al. 2017; Lipschitz by spectral normalisation) | −E_Q t |
 *
 * The losses returned are minimised: critic loss = −V.
 */
import { DomainError, defineOptions, describeValue, NonFiniteError, ops, readVector, Tensor } from '@notes/core-linalg';
import type { FDivergenceName } from '../fdivergence/index.js';

/** The training objectives of {@link trainGAN}. */
export type GanObjective = 'minimax' | 'non-saturating' | 'f-gan' | 'wgan';

/** Every objective, for validation. */
export const GAN_OBJECTIVES: readonly GanObjective[] = Object.freeze(['minimax', 'non-saturating', 'f-gan', 'wgan']);

/**
 * g_f(v) (the f-GAN output activation) and f*(g_f(v)), as ops, for each divergence of the package
 * (the same functions as `F_DIVERGENCES[d].activation` and `.fStar`, composed in closed form so that
 * they are finite for every finite v).
 */
const F_GAN_OPS: Readonly<Record<FDivergenceName, { act: (v: Tensor) => Tensor; conj: (v: Tensor) => Tensor }>> = {
  // g = v, f*(t) = e^{t−1}
  kl: { act: (v) => v, conj: (v) => ops.exp(ops.sub(v, 1)) },
  // g = −e^{−v}, f*(g) = −1 − log(e^{−v}) = v − 1
  'reverse-kl': { act: (v) => ops.neg(ops.exp(ops.neg(v))), conj: (v) => ops.sub(v, 1) },
  // g = ½(log 2 − softplus(−v)), f*(g) = −½ log(2 − 2σ(v)) = ½(softplus(v) − log 2)
  'jensen-shannon': {
    act: (v) => ops.mul(ops.sub(Math.LN2, ops.softplus(ops.neg(v))), 0.5),
    conj: (v) => ops.mul(ops.sub(ops.softplus(v), Math.LN2), 0.5),
  },
  // g = ½ tanh v, f*(t) = t
  'total-variation': { act: (v) => ops.mul(ops.tanh(v), 0.5), conj: (v) => ops.mul(ops.tanh(v), 0.5) },
  // g = v, f*(t) = t²/4 + t
  pearson: { act: (v) => v, conj: (v) => ops.add(ops.mul(ops.square(v), 0.25), v) },
  // g = 1 − e^{−v}, f*(g) = g/(1 − g) = e^{v} − 1
  hellinger: { act: (v) => ops.neg(ops.sub(ops.exp(ops.neg(v)), 1)), conj: (v) => ops.sub(ops.exp(v), 1) },
};

/** Weighted mean Σ w_i x_i (w given) or the plain mean. */
function expectation(x: Tensor, w: Tensor | undefined): Tensor {
  const flat = ops.reshape(x, [-1]);
  return w ? ops.sum(ops.mul(flat, w)) : ops.mean(flat);
}

/** Inputs of {@link adversarialLosses}. */
export interface LossInputs {
  objective: GanObjective;
  /** f-GAN divergence. @defaultValue 'jensen-shannon' */
  divergence?: FDivergenceName;
  /** Weights of the real outputs (sum 1); the mean when omitted. */
  weightsReal?: Tensor;
  /** Weights of the fake outputs (sum 1); the mean when omitted. */
  weightsFake?: Tensor;
}

/**
 * Critic and generator losses (to minimise) from raw critic outputs on real (`tReal`) and generated
 * (`tFake`) samples; see the table above. Both are scalar tensors on the autodiff tape.
 * @throws DomainError for an unknown objective or divergence.
 */
export function adversarialLosses(tReal: Tensor, tFake: Tensor, o: LossInputs): { critic: Tensor; generator: Tensor; value: Tensor } {
  const wr = o.weightsReal;
  const wf = o.weightsFake;
  switch (o.objective) {
    case 'minimax':
    case 'non-saturating': {
      // log σ(t) = −softplus(−t), log(1 − σ(t)) = −softplus(t)
      const value = ops.neg(ops.add(expectation(ops.softplus(ops.neg(tReal)), wr), expectation(ops.softplus(tFake), wf)));
      const generator =
        o.objective === 'minimax' ? ops.neg(expectation(ops.softplus(tFake), wf)) : expectation(ops.softplus(ops.neg(tFake)), wf);
      return { critic: ops.neg(value), generator, value };
    }
    case 'f-gan': {
      const name = o.divergence ?? 'jensen-shannon';
      const f = Object.hasOwn(F_GAN_OPS, name) ? F_GAN_OPS[name] : undefined;
      if (!f) throw new DomainError(`adversarialLosses: unknown divergence ${describeValue(name)}`);
      const value = ops.sub(expectation(f.act(tReal), wr), expectation(f.conj(tFake), wf));
      return { critic: ops.neg(value), generator: ops.neg(expectation(f.conj(tFake), wf)), value };
    }
    case 'wgan': {
      const value = ops.sub(expectation(tReal, wr), expectation(tFake, wf));
      return { critic: ops.neg(value), generator: ops.neg(expectation(tFake, wf)), value };
    }
    default:
      throw new DomainError(`adversarialLosses: unknown objective ${describeValue(o.objective)}`);
  }
}

/**
 * The critic's value V (what it maximises; see {@link adversarialLosses}) for plain numbers: raw
 * outputs on the real and fake samples with optional weights. For the minimax objective at the optimal
 * logit t*(x) = log(p(x)/q(x)) it is 2·JS(P‖Q) − log 4; for f-GAN at the optimal critic it is D_f(P‖Q).
 * A value of ±∞ (an output so large that e^t overflows) is returned as is; NaN is an error.
 * @throws DomainError (objective, options, weights not ≥ 0 summing to 1), ShapeError/NonFiniteError
 *   (outputs), NonFiniteError (a NaN value).
 * @example criticValue('wgan', [1, 1], [0, 0]) // 1
 */
export function criticValue(
  objective: GanObjective,
  tReal: ArrayLike<number>,
  tFake: ArrayLike<number>,
  options: { divergence?: FDivergenceName; weightsReal?: ArrayLike<number>; weightsFake?: ArrayLike<number> } = {},
): number {
  const where = 'criticValue';
  if (!GAN_OBJECTIVES.includes(objective)) {
    throw new DomainError(`${where}: argument 'objective' must be one of ${GAN_OBJECTIVES.join(', ')}, got ${describeValue(objective)}`);
  }
  const o = VALUE_OPTIONS.parse(options);
  const real = readVector(where, 'tReal', tReal);
  const fake = readVector(where, 'tFake', tFake);
  const weights = (name: string, w: unknown, n: number): Tensor | undefined => {
    if (w === undefined) return undefined;
    const v = readVector(where, `options.${name}`, w, { length: n });
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (v[i]! < 0) throw new DomainError(`${where}: option '${name}' must be non-negative, got ${describeValue(v[i])} at [${i}]`);
      sum += v[i]!;
    }
    if (!(Math.abs(sum - 1) <= 1e-8)) throw new DomainError(`${where}: option '${name}' must sum to 1 (within 1e-8), got ${sum}`);
    return new Tensor(v, [n]);
  };
  const wr = weights('weightsReal', o.weightsReal, real.length);
  const wf = weights('weightsFake', o.weightsFake, fake.length);
  const { value } = adversarialLosses(new Tensor(real, [real.length]), new Tensor(fake, [fake.length]), {
    objective,
    ...(o.divergence ? { divergence: o.divergence } : {}),
    ...(wr ? { weightsReal: wr } : {}),
    ...(wf ? { weightsFake: wf } : {}),
  });
  const v = value.data[0]!;
  if (Number.isNaN(v)) {
    throw new NonFiniteError(`${where}: the value is NaN (∞ − ∞ from overflowing terms); rescale the critic outputs`);
  }
  return v;
}

const isArrayLike = (v: unknown) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

const VALUE_OPTIONS = defineOptions<{ divergence?: FDivergenceName; weightsReal?: ArrayLike<number>; weightsFake?: ArrayLike<number> }>()(
  'criticValue',
  {
    divergence: { type: 'enum', values: ['kl', 'reverse-kl', 'jensen-shannon', 'total-variation', 'pearson', 'hellinger'] },
    weightsReal: { type: 'custom', expected: 'an array of numbers', check: isArrayLike },
    weightsFake: { type: 'custom', expected: 'an array of numbers', check: isArrayLike },
  },
);
