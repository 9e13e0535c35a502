import { readFileSync } from 'node:fs';

/** The JSON written by fixtures/make_fixtures.py (POT). */
export interface PotFixtures {
  pot_version: string;
  dist: { x: number[][]; y: number[][]; sqeuclidean: number[][]; euclidean: number[][]; cityblock: number[][] };
  emd: { x: number[][]; y: number[][]; a: number[]; b: number[]; metric: 'sqeuclidean' | 'euclidean'; cost: number }[];
  sinkhorn: {
    x: number[][];
    y: number[][];
    a: number[];
    b: number[];
    scale: number;
    reg: number;
    method: 'sinkhorn' | 'sinkhorn_log';
    cost: number;
    emdCost: number;
    plan00: number;
  }[];
  sinkhornSmallReg: {
    x: number[][];
    y: number[][];
    a: number[];
    b: number[];
    reg: number;
    logCost: number;
    standardCost: number | null;
    emdCost: number;
  };
  wasserstein1d: {
    u: number[];
    v: number[];
    uWeights: number[] | null;
    vWeights: number[] | null;
    p: number;
    costPowP: number;
  }[];
}

export const pot: PotFixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/pot.json', import.meta.url), 'utf8'),
) as PotFixtures;
