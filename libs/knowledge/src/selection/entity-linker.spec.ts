import { EntityLinker } from './entity-linker';

describe('EntityLinker', () => {
  const linker = new EntityLinker([
    { name: '百雅轩798艺术中心' },
    { name: '798艺术区', aliases: ['798'] },
    { name: '故宫', aliases: ['紫禁城', '故宫博物院'] },
  ]);

  it('finds the longest name at each position, left to right', () => {
    expect(linker.link('对百雅轩798艺术中心有了解吗？和798艺术区比呢')).toEqual([
      { entity: '百雅轩798艺术中心', start: 1, end: 11 },
      { entity: '798艺术区', start: 17, end: 23 },
    ]);
  });

  it('maps aliases to the canonical entity', () => {
    expect(linker.link('紫禁城就是故宫博物院').map((m) => m.entity)).toEqual(['故宫', '故宫']);
  });

  it('finds nothing in text without names', () => {
    expect(linker.link('那它的地址呢？')).toEqual([]);
  });
});
