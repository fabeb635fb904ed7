import { seededRandom, seededWeights } from '../testing/seeded-random';
import { dequantizeRows, quantizeRows } from './matmul-nbits-quantizer';

describe('block quantization for MatMulNBits / QMoE', () => {
  it('4-bit: a block whose largest |w| is 7 has scale 1 and codes round(w) + 8, two a byte, low nibble first', () => {
    // Row 0: one full block (scale 1) and a partial block of 8 (largest |w| 0.7: scale 0.1), padded
    // with the zero point 8. Row 1: all zeros, so scale 1 and every code 8.
    const k = 40;
    const w = new Float32Array(2 * k);
    w.set([0, 1, -1, 7, -7, 2.4, -3.6, 0.49], 0);
    w.set([0.7, -0.7, 0.22, -0.38], 32);
    const { codes, scales } = quantizeRows(w, 2, k, 4);
    expect(Array.from(scales)).toEqual([1, Math.fround(0.1), 1, 1]);
    // Codes 8 9 | 7 15 | 1 10 | 4 8 | 8 8 …  block 2: 15 1 | 10 4 (0.22/0.1 → 2, −0.38/0.1 → −4) | 8 8 …
    const row0 = [0x98, 0xf7, 0xa1, 0x84, ...Array(12).fill(0x88), 0x1f, 0x4a, ...Array(14).fill(0x88)];
    expect(Array.from(codes.subarray(0, 32))).toEqual(row0);
    expect(Array.from(codes.subarray(32))).toEqual(Array(32).fill(0x88));
  });

  it('8-bit: a block whose largest |w| is 127 has scale 1 and codes round(w) + 128, one a byte', () => {
    const w = new Float32Array(32);
    w.set([127, -127, 1.4, -0.6, 50.2]);
    const { codes, scales } = quantizeRows(w, 1, 32, 8);
    expect(Array.from(scales)).toEqual([1]);
    expect(Array.from(codes)).toEqual([255, 1, 129, 127, 178, ...Array(27).fill(128)]);
  });

  it.each([4, 8] as const)('%i-bit: every dequantized weight is within scale / 2 of the original', (bits) => {
    const rows = 5;
    const k = 70; // two full blocks and a partial one
    const w = seededWeights(seededRandom(3), rows * k, 1);
    const { codes, scales } = quantizeRows(w, rows, k, bits);
    const back = dequantizeRows(codes, scales, rows, k, bits);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < k; i++) {
        const scale = scales[r * 3 + Math.floor(i / 32)];
        expect(Math.abs(back[r * k + i] - w[r * k + i])).toBeLessThanOrEqual(scale / 2 + 1e-6);
      }
    }
  });
});
