import { Bm25Index } from './bm25-index';

const DOCS = [
  ['故宫', '门票', '60元'],
  ['天坛', '门票'],
  ['故宫', '地址', '景山', '前街'],
  ['颐和园', '门票', '30元'],
];
const query = new Map([
  ['门票', 1],
  ['故宫', 0.5],
]);

function fresh(docs: (string[] | undefined)[]): Bm25Index {
  const index = new Bm25Index();
  docs.forEach((tokens, position) => tokens && index.add(position, tokens));
  return index;
}

describe('Bm25Index', () => {
  it('scores after adds and removes equal those of an index built over the remaining documents', () => {
    const index = fresh(DOCS);
    // Searching first fills the per-term cache; the changes after it must not read stale entries.
    expect(index.search(query)).toEqual(fresh(DOCS).search(query));
    index.remove(1);
    index.add(4, ['天坛', '门票', '15元', '旺季']);
    const expected = fresh([DOCS[0], undefined, DOCS[2], DOCS[3], ['天坛', '门票', '15元', '旺季']]).search(query);
    expect(index.search(query)).toEqual(expected);
    expect(index.search(query, 2)).toEqual(expected.slice(0, 2));
    expect(index.size).toBe(4);
  });

  it('ranks equal scores by position, whatever order the documents were touched in', () => {
    const index = fresh([['甲'], ['乙'], ['甲'], ['乙']]);
    expect(
      index
        .search(
          new Map([
            ['乙', 1],
            ['甲', 1],
          ]),
        )
        .map(([position]) => position),
    ).toEqual([0, 1, 2, 3]);
  });
});
