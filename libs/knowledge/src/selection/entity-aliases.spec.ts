import { entitiesWithAliases, plainName } from './entity-aliases';
import { fact } from './testing/knowledge-items';

describe('entity aliases', () => {
  it('drops a bracketed qualifier and title marks', () => {
    expect(plainName('恋恋笔记本（美国2004年尼克·卡索维茨导演爱情片）')).toBe('恋恋笔记本');
    expect(plainName('首都剧场(北京人民艺术剧院)')).toBe('首都剧场');
    expect(plainName('《爱乐之城》')).toBe('爱乐之城');
  });

  it('adds the plain name and the values of name relations, and drops names two entities share', () => {
    const items = [
      fact('电锯惊魂（2004年电锯惊魂系列电影第一部）', '其它译名', '夺魂锯 / 恐惧斗室'),
      fact('周润发', '别名', '发哥'),
      fact('周润发', '知名校友', '不是名字'),
      fact('安琪儿童乐园（大兴店）', '地址', '北京市大兴区'),
      fact('安琪儿童乐园（密云店）', '地址', '北京市密云区'),
    ];
    const aliases = Object.fromEntries(entitiesWithAliases([], items).map((e) => [e.name, e.aliases.sort()]));
    expect(aliases).toEqual({
      '电锯惊魂（2004年电锯惊魂系列电影第一部）': ['夺魂锯', '恐惧斗室', '电锯惊魂'],
      周润发: ['发哥'],
      '安琪儿童乐园（大兴店）': [],
      '安琪儿童乐园（密云店）': [],
    });
  });
});
