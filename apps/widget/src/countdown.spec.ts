import { formatRemaining } from './countdown';

describe('the scenario countdown', () => {
  const now = new Date('2026-11-25T03:00:00.000Z');
  const at = (ms: number) => new Date(now.getTime() + ms);

  it.each([
    [125_000, '02:05'],
    [59_001, '01:00'],
    [1, '00:01'],
    [0, '00:00'],
    [-5_000, '00:00'],
    [3_725_000, '62:05'],
  ])('%d ms left reads %s', (ms, expected) => {
    expect(formatRemaining(at(ms), now)).toBe(expected);
  });
});
