/** Rebuilds kernels from {@link KernelJSON} (the inverse of `kernel.toJSON()`, exact round trip). */
import { DomainError } from '@notes/core-linalg';
import { type BasisJSON, basisKernelFromJSON } from '../bayesian-regression/index.js';
import { ArcsineKernel } from './arcsine.js';
import { ProductKernel, SumKernel } from './composite.js';
import { type Hyperparameter, type Kernel, type KernelJSON, makeParam } from './kernel.js';
import { MaternKernel, type MaternNu } from './matern.js';
import { PeriodicKernel } from './periodic.js';
import { RationalQuadraticKernel } from './rationalQuadratic.js';
import { RBFKernel } from './rbf.js';
import { ConstantKernel, LinearKernel, WhiteKernel } from './simple.js';

type LeafJSON = Extract<KernelJSON, { params: unknown }>;

const LEAVES: Record<string, (p: Hyperparameter[], j: LeafJSON) => Kernel> = {
  rbf: (p) => new RBFKernel(p),
  matern: (p, j) => new MaternKernel(p, j.params.nu.value[0] as MaternNu),
  rationalQuadratic: (p) => new RationalQuadraticKernel(p),
  periodic: (p) => new PeriodicKernel(p),
  linear: (p) => new LinearKernel(p),
  constant: (p) => new ConstantKernel(p),
  white: (p) => new WhiteKernel(p),
  arcsine: (p) => new ArcsineKernel(p),
  basis: (p, j) => basisKernelFromJSON(p, (j as LeafJSON & { basis: BasisJSON }).basis),
};

/**
 * Kernel from its JSON form.
 * @throws DomainError for an unknown kind or invalid hyperparameters.
 */
export function kernelFromJSON(json: KernelJSON): Kernel {
  if ('kernels' in json) {
    const parts = json.kernels.map(kernelFromJSON);
    if (json.kind === 'sum') return new SumKernel(parts);
    if (json.kind === 'product') return new ProductKernel(parts);
  } else {
    const make = LEAVES[json.kind];
    if (make) {
      const params = Object.entries(json.params)
        .filter(([name]) => !(json.kind === 'matern' && name === 'nu'))
        .map(([name, h]) => makeParam('kernelFromJSON', name, h.value, h.bounds));
      return make(params, json);
    }
  }
  throw new DomainError(`kernelFromJSON: unknown kernel kind '${json.kind}'`);
}
