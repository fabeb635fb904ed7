import { glmPosition2d, inContext } from '@zhibing/kernels';
import { stepWindow, type WindowRow } from './step-window';

/** The layout written the plain way, one BigInt per element: what the fast path must equal. */
function reference(
  rows: WindowRow[],
  o: { pastMax: number; width: number; padId: number; right: boolean; twoD: boolean },
) {
  const total = o.pastMax + o.width;
  const ids = new Array<bigint>(rows.length * o.width).fill(BigInt(o.padId));
  const mask = new Array<bigint>(rows.length * total).fill(0n);
  const positions = new Array<bigint>(rows.length * o.width * (o.twoD ? 2 : 1)).fill(0n);
  const prefix = new Array<bigint>(rows.length * total).fill(0n);
  rows.forEach(({ past, input, layout }, b) => {
    const padPast = o.pastMax - past;
    const padNew = o.right ? 0 : o.width - input.length;
    const column = (t: number) => (o.right ? t : t < past ? padPast + t : o.pastMax + padNew + t - past);
    for (let t = 0; t < past + input.length; t++) {
      mask[b * total + column(t)] = 1n;
      if (inContext(layout, t)) prefix[b * total + column(t)] = 1n;
    }
    input.forEach((id, i) => {
      ids[b * o.width + padNew + i] = BigInt(id);
      const [first, second] = o.twoD ? glmPosition2d(layout, past + i) : [past + i, 0];
      if (!o.twoD) positions[b * o.width + padNew + i] = BigInt(first);
      else {
        positions[2 * b * o.width + padNew + i] = BigInt(first);
        positions[(2 * b + 1) * o.width + padNew + i] = BigInt(second);
      }
    });
  });
  return { ids, mask, positions, prefix: o.twoD ? prefix : null, total };
}

describe('stepWindow', () => {
  const rows: WindowRow[] = [
    { past: 0, input: [5, 6, 7, 8, 9], layout: { maskPosition: 2, spanStart: 4 } },
    { past: 7, input: [40000], layout: { maskPosition: 1, spanStart: 3 } },
    { past: 3, input: [265, 1], layout: null },
  ];

  it.each([
    { right: false, twoD: false },
    { right: false, twoD: true },
    { right: true, twoD: false },
  ])('lays out ids, mask, positions and context like the plain layout (right $right, 2-D $twoD)', (layout) => {
    const options = { pastMax: 7, width: 5, padId: 265, ...layout };
    const fast = stepWindow(rows, options);
    const plain = reference(rows, options);
    expect(Array.from(fast.ids)).toEqual(plain.ids);
    expect(Array.from(fast.mask)).toEqual(plain.mask);
    expect(Array.from(fast.positions)).toEqual(plain.positions);
    expect(fast.prefix && Array.from(fast.prefix)).toEqual(plain.prefix);
    expect(fast.total).toBe(plain.total);
  });

  it('right-pads a batched first prompt: each row from column 0, its ones first, pads after', () => {
    const prompts: WindowRow[] = [
      { past: 0, input: [11, 12, 13], layout: null },
      { past: 0, input: [21], layout: null },
    ];
    const window = stepWindow(prompts, { pastMax: 0, width: 3, padId: 0, right: true, twoD: false });
    expect(Array.from(window.ids, Number)).toEqual([11, 12, 13, 21, 0, 0]);
    expect(Array.from(window.mask, Number)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(Array.from(window.positions, Number)).toEqual([0, 1, 2, 0, 0, 0]);
  });
});
