import { StreamingDetokenizer } from './streaming-detokenizer';

describe('StreamingDetokenizer', () => {
  // A byte-level decoder: ids are UTF-8 bytes.
  const decode = (ids: number[]) => Buffer.from(ids).toString('utf8');

  it('never emits half a Chinese character', () => {
    const bytes = [...Buffer.from('谷爱')];
    const detokenizer = new StreamingDetokenizer(decode);
    const deltas = bytes.map((_, i) => detokenizer.push(bytes.slice(0, i + 1)));
    expect(deltas).toEqual(['', '', '谷', '', '', '爱']);
  });

  it('emits the same text as decoding everything, for long mixed text streamed token by token', () => {
    const bytes = [...Buffer.from('华智冰说：谷爱凌在2022年北京冬奥会上夺得金牌！Great job. 🎿')];
    const detokenizer = new StreamingDetokenizer(decode);
    let streamed = '';
    bytes.forEach((_, i) => (streamed += detokenizer.push(bytes.slice(0, i + 1))));
    expect(streamed).toBe(decode(bytes));
    expect(detokenizer.text).toBe(streamed);
  });

  it('flushes what is left at the end', () => {
    const detokenizer = new StreamingDetokenizer(decode);
    const ids = [...Buffer.from('a'), 0xe8];
    expect(detokenizer.push(ids)).toBe('');
    expect(detokenizer.flush(ids)).toBe('a\uFFFD');
  });
});
