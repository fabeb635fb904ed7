import { entityEdges, placeNeighbours } from './entity-neighbourhood';

describe('entity neighbourhood', () => {
  const facts = [
    { id: '1', kind: 'fact', head: '谷爱凌', relation: '项目', tail: '自由式滑雪' },
    { id: '2', kind: 'fact', head: '谷爱凌', relation: '项目', tail: '自由式滑雪' },
    { id: '3', kind: 'fact', head: '北京冬奥会', relation: '冠军', tail: '谷爱凌' },
    { id: '4', kind: 'fact', head: '苏翊鸣', relation: '项目', tail: '单板滑雪' },
    { id: '5', kind: 'description', head: '谷爱凌', text: '中国自由式滑雪运动员' },
  ];

  it('keeps the facts that touch the entity, in and out, each once', () => {
    expect(entityEdges('谷爱凌', facts)).toEqual([
      { relation: '项目', neighbour: '自由式滑雪', outgoing: true },
      { relation: '冠军', neighbour: '北京冬奥会', outgoing: false },
    ]);
  });

  it('places neighbours on a circle around the centre', () => {
    const placed = placeNeighbours(entityEdges('谷爱凌', facts), 100, 100, 50);
    expect(placed.map((p) => p.name)).toEqual(['自由式滑雪', '北京冬奥会']);
    expect(placed[0].x).toBeCloseTo(100);
    expect(placed[0].y).toBeCloseTo(50);
    expect(placed[1].y).toBeCloseTo(150);
  });
});
