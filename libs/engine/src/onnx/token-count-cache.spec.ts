import { TokenCountCache } from './token-count-cache';

describe('TokenCountCache', () => {
  it('counts each text once while it is kept, stays within its capacity, and never keeps long texts', () => {
    const counted: string[] = [];
    const cache = new TokenCountCache(
      (text) => {
        counted.push(text);
        return text.length * 3;
      },
      2,
      10,
    );
    expect([cache.get('你好'), cache.get('你好'), cache.get('世界')]).toEqual([6, 6, 6]);
    expect(counted).toEqual(['你好', '世界']);
    cache.get('再见'); // evicts the oldest, 你好
    expect(cache.size).toBe(2);
    expect(cache.get('你好')).toBe(6);
    expect(counted).toEqual(['你好', '世界', '再见', '你好']);
    const long = 'x'.repeat(11);
    expect(cache.get(long)).toBe(33);
    expect(cache.get(long)).toBe(33);
    expect(counted.filter((t) => t === long)).toHaveLength(2);
  });
});
