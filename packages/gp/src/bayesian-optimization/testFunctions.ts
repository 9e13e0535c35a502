/**
 * Standard global-optimisation test functions (Surjanovic & Bingham, Virtual Library of Simulation
 * Experiments): each with its box and known global minimum, for regret measurements.
 */

/** A test problem: f, box bounds and the global minimum value. */
export interface TestProblem {
  name: string;
  f: (x: ArrayLike<number>) => number;
  bounds: [number, number][];
  minimum: number;
}

/** Branin–Hoo on [−5, 10] × [0, 15]; minimum 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475). */
export const branin: TestProblem = {
  name: 'Branin',
  f: (x) => {
    const a = 1;
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return a * (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * Math.cos(x[0]) + 10;
  },
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  minimum: 0.39788735772973816,
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));

/** Hartmann-6 on [0, 1]⁶; minimum −3.32237. */
export const hartmann6: TestProblem = {
  name: 'Hartmann-6',
  f: (x) => {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
      s += H_ALPHA[i] * Math.exp(-inner);
    }
    return -s;
  },
  bounds: Array.from({ length: 6 }, () => [0, 1] as [number, number]),
  minimum: -3.322368011415515,
};

/** Ackley in d = 5 on [−32.768, 32.768]⁵; minimum 0 at the origin. */
export const ackley5: TestProblem = {
  name: 'Ackley-5',
  f: (x) => {
    const d = x.length;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < d; j++) {
      s1 += x[j] ** 2;
      s2 += Math.cos(2 * Math.PI * x[j]);
    }
    return -20 * Math.exp(-0.2 * Math.sqrt(s1 / d)) - Math.exp(s2 / d) + 20 + Math.E;
  },
  bounds: Array.from({ length: 5 }, () => [-32.768, 32.768] as [number, number]),
  minimum: 0,
};
