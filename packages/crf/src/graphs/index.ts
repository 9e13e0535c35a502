export { DirectedGraph, UndirectedGraph } from './graph.js';
export type { Edge } from './graph.js';
export { bruteForceFactorGraph, createFactorGraph } from './factorGraph.js';
export type { BruteForceResult, FactorGraph, FactorSpec } from './factorGraph.js';
export { sumProduct } from './beliefPropagation.js';
export type { SumProductResult } from './beliefPropagation.js';
export { createBayesNet } from './bayesNet.js';
export type { BayesNet, BayesNode } from './bayesNet.js';
