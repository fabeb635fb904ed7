import { personaDiff, withContext } from './persona-diff';

describe('persona diff', () => {
  it('shows changed values, not moved keys', () => {
    const lines = personaDiff({ b: 1, a: 'x', c: [1] }, { c: [1], a: 'y', b: 1 });
    expect(lines.filter((l) => l.kind !== 'same')).toEqual([
      { kind: 'removed', text: '  "a": "x",' },
      { kind: 'added', text: '  "a": "y",' },
    ]);
  });

  it('keeps a little context around changes and folds the rest', () => {
    const from = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(i).padStart(2, '0')}`, i]));
    const shown = withContext(personaDiff(from, { ...from, k10: 'ten' }), 1);
    expect(shown.map((l) => l.kind)).toEqual(['gap', 'same', 'removed', 'added', 'same', 'gap']);
  });
});
