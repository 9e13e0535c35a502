/**
 * A tiny deterministic generator for start vectors of iterative methods (power iteration).
 * It is NOT a statistical RNG (use the `random` folder for sampling); it only has to give a
 * reproducible vector that is almost surely not orthogonal to the dominant singular vector.
 * Mixer: splitmix32 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014, 32-bit variant).
 * @internal
 */
export function seededUnitVector(n: number, seed: number): Float64Array {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const out = new Float64Array(n);
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    const x = z / 4294967296 - 0.5; // uniform in [-0.5, 0.5)
    out[i] = x;
    s2 += x * x;
  }
  if (s2 === 0) out[0] = 1;
  const inv = 1 / Math.sqrt(s2 === 0 ? 1 : s2);
  for (let i = 0; i < n; i++) out[i]! *= inv;
  return out;
}
