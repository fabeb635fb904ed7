import { RelationCues } from './relation-cues';
import { TextTokenizer } from './text-tokenizer';
import { fact } from './testing/knowledge-items';

describe('RelationCues', () => {
  // Relation names no table knows: the cues must come from the names and the values' shapes.
  const cues = new RelationCues(
    [
      fact('甲片', '首映日子', '2004年06月25日'),
      fact('甲片', '掌镜者', '尼克·卡索维茨'),
      fact('甲片', '投资额', '2900万美元'),
      fact('甲片', '拍摄场地', '美国加州帕萨丹娜市'),
      fact('甲片', '时长', '127分钟'),
      fact('乙馆', '值班电话', '010-85007938'),
      fact('乙馆', '迎客时段', '8:30-17:00'),
      fact('尼克·卡索维茨', '出生日期', '1959年05月24日'),
      fact('丙片', '出品公司', '梦工厂'),
      fact('丙片', '出品时间', '2004年'),
      fact('丙片', '其它译名', '丙之片'),
    ],
    new TextTokenizer(),
  );
  const asked = (text: string) => [...cues.detect(text)].sort((a, b) => b[1] - a[1])[0]?.[0];

  it('cues a relation by the question words for the shape of its values', () => {
    expect(asked('是哪年出的？')).toBe('首映日子');
    expect(asked('谁拍的？')).toBe('掌镜者');
    expect(asked('花了多少钱？')).toBe('投资额');
    expect(asked('在哪里拍的？')).toBe('拍摄场地');
    expect(asked('片子放多久？')).toBe('时长');
    expect(asked('几点能进去？')).toBe('迎客时段');
    expect(asked('号码是多少？')).toBe('值班电话');
  });

  it('cues a relation by its name and by the words of its name', () => {
    expect(cues.detect('掌镜者是谁')).toEqual(
      new Map([
        ['掌镜者', 1],
        ['Information', 0.7],
      ]),
    );
    expect(cues.detect('首映那天')?.get('首映日子')).toBe(0.8);
  });

  it('adds up several cues of one relation', () => {
    const found = cues.detect('是哪个公司出品的？');
    expect(found.get('出品公司')).toBeGreaterThan(found.get('出品时间')!);
  });

  it('cues name relations by how one asks for a name', () => {
    expect(asked('它还叫什么？')).toBe('其它译名');
  });

  it('reads the shape from Chinese morphology when the base knows nothing else', () => {
    const small = new RelationCues(
      [
        fact('红楼梦', '作者', '曹雪芹'),
        fact('贾宝玉', '住所', '怡红院'),
        fact('贾宝玉', '父亲', '贾政'),
        fact('北京冬奥会', '举办地点', '北京、延庆和张家口'),
        fact('北京冬奥会', '举办时间', '2022年2月4日至2月20日'),
        fact('华智冰', '院系', '计算机科学与技术系'),
      ],
      new TextTokenizer(),
    );
    expect(Object.fromEntries(small.shapes)).toEqual({
      作者: 'person',
      住所: 'place',
      父亲: 'person',
      举办地点: 'place',
      举办时间: 'date',
    });
    const top = (text: string) => [...small.detect(text)].sort((a, b) => b[1] - a[1])[0]?.[0];
    expect([top('红楼梦是谁写的？'), top('他住在哪里？'), top('在哪里举办？'), top('你是哪个系的？')]).toEqual([
      '作者',
      '住所',
      '举办地点',
      '院系',
    ]);
    // Ending the question, 是谁 asks who someone is: the description, not a person-valued fact.
    expect([...small.detect('贾宝玉是谁？').keys()]).toEqual(['Information']);
  });

  it('knows who is a person from the knowledge base: someone who was born', () => {
    expect(cues.shapes.get('掌镜者')).toBe('person');
  });
});
