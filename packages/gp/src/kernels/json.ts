/** Rebuilds kernels from {@link KernelJSON} (the inverse of `kernel.toJSON()`, exact round trip). */
import { DomainError, describeValue } from '@notes/core-linalg';
import { type BasisJSON, basisKernelFromJSON } from '../bayesian-regression/index.js';
import { ArcsineKernel } from './arcsine.js';
import { ProductKernel, SumKernel } from './composite.js';
import { type Hyperparameter, type Kernel, type KernelJSON, type ParamUnit, makeParam } from './kernel.js';
import { MaternKernel, type MaternNu } from './matern.js';
import { PeriodicKernel } from './periodic.js';
import { RationalQuadraticKernel } from './rationalQuadratic.js';
import { RBFKernel } from './rbf.js';
import { ConstantKernel, LinearKernel, WhiteKernel } from './simple.js';

type LeafJSON = Extract<KernelJSON, { params: unknown }>;

/** Each leaf kind: its parameter names (in order), their units, and the constructor. */
const LEAVES: Record<string, { names: string[]; units: ParamUnit[]; make: (p: Hyperparameter[], j: LeafJSON, at: string) => Kernel }> = {
  rbf: { names: ['lengthScale'], units: ['length'], make: (p) => new RBFKernel(p) },
  matern: {
    names: ['lengthScale'],
    units: ['length'],
    make: (p, j, at) => {
      const nu = (j.params as Record<string, { value?: unknown }>).nu?.value;
      const v = Array.isArray(nu) ? nu[0] : undefined;
      if (!Array.isArray(nu) || nu.length !== 1 || (v !== 0.5 && v !== 1.5 && v !== 2.5)) {
        throw new DomainError(`kernelFromJSON: field '${at}.params.nu.value' must be [0.5], [1.5] or [2.5], got ${describeValue(nu)}`);
      }
      return new MaternKernel(p, v as MaternNu);
    },
  },
  rationalQuadratic: { names: ['lengthScale', 'alpha'], units: ['length', 'none'], make: (p) => new RationalQuadraticKernel(p) },
  periodic: { names: ['lengthScale', 'periodicity'], units: ['none', 'length'], make: (p) => new PeriodicKernel(p) },
  linear: { names: ['sigma0'], units: ['length'], make: (p) => new LinearKernel(p) },
  constant: { names: ['value'], units: ['variance'], make: (p) => new ConstantKernel(p) },
  white: { names: ['noiseLevel'], units: ['variance'], make: (p) => new WhiteKernel(p) },
  arcsine: { names: ['weightVariance', 'biasVariance'], units: ['inverse-square-length', 'none'], make: (p) => new ArcsineKernel(p) },
  basis: { names: ['priorVariance'], units: ['none'], make: (p, j) => basisKernelFromJSON(p, (j as LeafJSON & { basis: BasisJSON }).basis) },
};

const SCALAR = new Set(['alpha', 'periodicity', 'sigma0', 'value', 'noiseLevel', 'weightVariance', 'biasVariance', 'priorVariance']);
const UNITS: readonly ParamUnit[] = ['length', 'variance', 'inverse-square-length', 'none'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readParam(at: string, name: string, unit: ParamUnit, h: unknown): Hyperparameter {
  const field = `${at}.params.${name}`;
  if (!isObject(h)) throw new DomainError(`kernelFromJSON: field '${field}' must be an object { value, bounds }, got ${describeValue(h)}`);
  if (!Array.isArray(h.value) || h.value.length === 0) {
    throw new DomainError(`kernelFromJSON: field '${field}.value' must be a non-empty array of numbers, got ${describeValue(h.value)}`);
  }
  if (SCALAR.has(name) && h.value.length !== 1) {
    throw new DomainError(`kernelFromJSON: field '${field}.value' must hold one number, got ${h.value.length}`);
  }
  if (h.unit !== undefined && h.unit !== unit) {
    throw new DomainError(`kernelFromJSON: field '${field}.unit' must be '${unit}', got ${describeValue(h.unit)}`);
  }
  if (h.unit !== undefined && !UNITS.includes(h.unit as ParamUnit)) {
    throw new DomainError(`kernelFromJSON: field '${field}.unit' is not a unit, got ${describeValue(h.unit)}`);
  }
  if (h.relative !== undefined && typeof h.relative !== 'boolean') {
    throw new DomainError(`kernelFromJSON: field '${field}.relative' must be a boolean, got ${describeValue(h.relative)}`);
  }
  const relative = h.relative === true && unit !== 'none';
  return makeParam(`kernelFromJSON (field '${field}')`, name, h.value, h.bounds, unit, relative);
}

function build(json: unknown, at: string, depth: number): Kernel {
  if (depth > 64) throw new DomainError(`kernelFromJSON: field '${at}' nests kernels more than 64 deep`);
  if (!isObject(json)) throw new DomainError(`kernelFromJSON: field '${at}' must be a kernel object, got ${describeValue(json)}`);
  const kind = json.kind;
  if (kind === 'sum' || kind === 'product') {
    if (!Array.isArray(json.kernels) || json.kernels.length < 2) {
      throw new DomainError(`kernelFromJSON: field '${at}.kernels' must be an array of at least 2 kernels, got ${describeValue(json.kernels)}`);
    }
    const parts = json.kernels.map((k, i) => build(k, `${at}.kernels.${i}`, depth + 1));
    return kind === 'sum' ? new SumKernel(parts) : new ProductKernel(parts);
  }
  const leaf = typeof kind === 'string' && Object.hasOwn(LEAVES, kind) ? LEAVES[kind] : undefined;
  if (!leaf) throw new DomainError(`kernelFromJSON: unknown kernel kind ${describeValue(kind)} at '${at}.kind'`);
  if (!isObject(json.params)) throw new DomainError(`kernelFromJSON: field '${at}.params' must be an object, got ${describeValue(json.params)}`);
  const params = json.params;
  const allowed = new Set([...leaf.names, ...(kind === 'matern' ? ['nu'] : [])]);
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) throw new DomainError(`kernelFromJSON: unknown parameter '${key}' of a '${kind}' kernel at '${at}.params'`);
  }
  const hps: Hyperparameter[] = [];
  leaf.names.forEach((name, i) => {
    if (!(name in params)) {
      if (kind === 'arcsine' && name === 'biasVariance') return; // bias: false
      throw new DomainError(`kernelFromJSON: field '${at}.params.${name}' is missing`);
    }
    hps.push(readParam(at, name, leaf.units[i] as ParamUnit, params[name]));
  });
  return leaf.make(hps, json as LeafJSON, at);
}

/**
 * Kernel from its JSON form; every field is validated (kinds, parameter names, positive finite values,
 * bounds, units), so a tampered JSON throws instead of building a kernel that computes NaN.
 * @throws DomainError (naming the field) for an unknown kind or parameter, bad values or bounds; NonFiniteError
 *   for non-finite values; ShapeError for an empty parameter.
 */
export function kernelFromJSON(json: KernelJSON): Kernel {
  return build(json, 'kernel', 0);
}
