import { speechPieces } from './speech-pieces';

describe('speechPieces', () => {
  it('cuts a reply after each sentence, keeping closing quotes with their sentence', () => {
    expect(speechPieces('好的，故宫的门票是旺季60元。还有什么可以帮您？')).toEqual([
      '好的，故宫的门票是旺季60元。',
      '还有什么可以帮您？',
    ]);
    expect(speechPieces('他说：“我来了！”然后走了。Fine!')).toEqual(['他说：“我来了！”', '然后走了。', 'Fine!']);
  });

  it('cuts a long sentence at its clauses, and the pieces always join back to the text', () => {
    const long =
      '故宫位于北京中轴线的中心，是明清两代的皇家宫殿，旧称紫禁城，占地面积约72万平方米，建筑面积约15万平方米。';
    const pieces = speechPieces(long);
    expect(pieces).toEqual([
      '故宫位于北京中轴线的中心，',
      '是明清两代的皇家宫殿，',
      '旧称紫禁城，',
      '占地面积约72万平方米，',
      '建筑面积约15万平方米。',
    ]);
    for (const text of [long, '没有标点的一句话', '', '……', '问：\n答：好。'])
      expect(speechPieces(text).join('')).toBe(text);
  });
});
