/**
 * Circulant diagonalisation (notes: FFT Conv): the eigenvalues of the circulant embedding of a causal
 * filter (computed by a general eigen-solver) coincide with FFT(c), and S = W⁻¹ D_H W.
 */
import { atMost } from '../../claims.js';
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { circulantEigenvalues, circulantEmbedding, circulantFromEigenvalues, circulantMatrix } from '@notes/hyena';
import { EigenvalueDecomposition } from 'ml-matrix';
import type { Demo } from '../../demo.js';

const demo: Demo = {
  id: 'hyena/circulant',
  title: 'Circulant eigenvalues are the FFT of its first column',
  section: 'Hyena Hierarchy · FFT Conv (S_h = W⁻¹ D_H W)',
  order: 710,
  run({ seed }) {
    const L = 16;
    const h = sampleNormalArray(createRng(seed), L).map((v, t) => v * Math.exp(-t / 6));
    const c = circulantEmbedding(h, L);
    const C = circulantMatrix(c);
    const evd = new EigenvalueDecomposition(C);
    const fftEig = circulantEigenvalues(c);
    const { matrix, imagMax } = circulantFromEigenvalues(fftEig);
    let recon = 0;
    for (let i = 0; i < 2 * L; i++) for (let j = 0; j < 2 * L; j++) recon = Math.max(recon, Math.abs(matrix.get(i, j) - C.get(i, j)));
    // Match each EVD eigenvalue to the nearest FFT value.
    let match = 0;
    const values: { re: number; im: number; source: string }[] = [];
    evd.realEigenvalues.forEach((re, i) => {
      const im = evd.imaginaryEigenvalues[i] as number;
      values.push({ re, im, source: 'eigen-solver' });
      let best = Number.POSITIVE_INFINITY;
      for (let k = 0; k < fftEig.re.length; k++) best = Math.min(best, Math.hypot(re - (fftEig.re[k] as number), im - (fftEig.im[k] as number)));
      match = Math.max(match, best);
    });
    for (let k = 0; k < fftEig.re.length; k++) values.push({ re: fftEig.re[k] as number, im: fftEig.im[k] as number, source: 'FFT(c)' });
    const scale = Math.max(...fftEig.re.map((r, k) => Math.hypot(r, fftEig.im[k] as number)));
    return {
      claims: [
        atMost('every eigenvalue of the circulant lies on an entry of FFT(c) (max distance relative to max |λ|)', match / scale, 1e-9),
        atMost('S = W⁻¹ D_H W: max entry difference', recon, 1e-12),
        atMost('W⁻¹ D_H W is real (max imaginary residue)', imagMax, 1e-12),
      ],
      summary: `A causal filter of ${L} taps embedded in a ${2 * L}×${2 * L} circulant (zero-padded to 2L). Crosses: FFT(c); circles: eigenvalues from ml-matrix's general eigen-solver. The notes print the circulant by its first row; that matrix is the transpose (a correlation), whose eigenvalues are the conjugates — this demo uses the first-column convention under which S = W⁻¹ D_H W holds.`,
      metrics: {
        'max distance eigen-solver ↔ FFT': match,
        'max |W⁻¹ D_H W − S|': recon,
        'max imaginary residue of W⁻¹ D_H W': imagMax,
      },
      plots: [
        {
          title: 'Eigenvalues in the complex plane',
          data: { values },
          mark: { type: 'point', filled: false },
          encoding: {
            x: { field: 're', type: 'quantitative', title: 'Re λ' },
            y: { field: 'im', type: 'quantitative', title: 'Im λ' },
            shape: { field: 'source', type: 'nominal', scale: { domain: ['eigen-solver', 'FFT(c)'], range: ['circle', 'cross'] } },
            color: { field: 'source', type: 'nominal', scale: { domain: ['eigen-solver', 'FFT(c)'] } },
            size: { value: 80 },
          },
        },
      ],
    };
  },
};

export default demo;
