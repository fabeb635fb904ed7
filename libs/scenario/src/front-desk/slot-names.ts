import type { SlotMatch } from './slot-match';

// The common single-character surnames and the compound ones: a name must start with one, which is
// what tells "张三" from "不知道" or "我是来开会的".
const SURNAMES = new Set(
  [
    ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟',
    ...'谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢',
    ...'安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游',
    ...'辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应',
    ...'臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
  ].concat([
    '欧阳',
    '司马',
    '上官',
    '诸葛',
    '东方',
    '皇甫',
    '慕容',
    '令狐',
    '夏侯',
    '司徒',
    '尉迟',
    '长孙',
    '宇文',
    '公孙',
  ]),
);

// Words that end a name inside a sentence ("我叫张三电话…", "我是王五来找李老师").
const AFTER_NAME = /(过来|电话|手机|号码|邮箱|今天|明天|后天|下周|周|星期|来|找|想|要|预约|拜访|是|的|在|，|,|。|\s)/;
const CUE_ZH = /(?:我叫|我是|我的名字是|名字是|名字叫|姓名是|姓名|本人|叫我)\s*[:：]?\s*([\u4e00-\u9fff·]{2,8})/g;
const SURNAME_ZH = /(?:我姓|姓)\s*([\u4e00-\u9fff]{1,2})/;
// Case-sensitive on purpose: a name is capitalized, so "I am going to…" is no name.
const CUE_EN =
  /\b(?:[Mm]y name is|I am|I'm|[Tt]his is|[Cc]all me|[Nn]ame:)\s+([A-Z][A-Za-z'-]*(?:\s+[A-Z][A-Za-z'-]*){0,2})/;
const NOT_NAME_EN = /^(a|an|the|here|not|just|from|looking|going|coming|visiting|at|in|to|with|ok|fine|sorry)$/i;
// One to four words of at most 30 letters each: "aaaa…" a thousand times is no name.
const ENGLISH_WORDS = /^[A-Za-z][A-Za-z'-]{0,29}(?:\s+[A-Za-z][A-Za-z'-]{0,29}){0,3}$/;
const ENGLISH_SENTENCE = /\b(i|i'm|my|me|is|are|am|the|a|an|to|not|don't|no|yes|what|who|why|how|want|know|it)\b/i;

/** "张三" (a surname, then one to three characters), "欧阳娜娜", "阿依古丽·买买提"; not a sentence. */
function chineseName(candidate: string): string | undefined {
  const cut = candidate.search(AFTER_NAME);
  const name = cut > 0 ? candidate.slice(0, cut) : candidate;
  if (name.includes('·')) return /^[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6}$/.test(name) ? name : undefined;
  const surname = SURNAMES.has(name.slice(0, 2)) ? 2 : SURNAMES.has(name[0]) ? 1 : 0;
  if (!surname || name.length - surname < 1 || name.length - surname > 3) return undefined;
  return name;
}

/**
 * Finds a person's name said with a cue ("我叫张三", "我是张三", "姓王", "my name is Ann Lee"), or,
 * when `whole` (the message answers "how should I call you?"), the bare name ("张三", "Ann Lee").
 * A sentence is not a name: "我不想说" is refused.
 */
export function findName(text: string, whole: boolean): SlotMatch | undefined {
  for (const cue of text.matchAll(CUE_ZH)) {
    const name = chineseName(cue[1]);
    if (name) return { index: cue.index, length: cue[0].indexOf(cue[1]) + name.length, value: name };
  }
  let m = SURNAME_ZH.exec(text);
  if (m && SURNAMES.has(m[1])) return { index: m.index, length: m[0].length, value: m[1] };
  if (m && SURNAMES.has(m[1][0])) return { index: m.index, length: m[0].length - 1, value: m[1][0] };
  m = CUE_EN.exec(text);
  if (m && !NOT_NAME_EN.test(m[1].split(/\s+/)[0])) return { index: m.index, length: m[0].length, value: m[1] };
  if (!whole) return undefined;
  const bare = text.trim().replace(/[\s。.!！,，;；~～]+$/, '');
  const name = /^[\u4e00-\u9fff·]{2,13}$/.test(bare) ? chineseName(bare) : undefined;
  if (name === bare) return { index: text.indexOf(bare), length: bare.length, value: bare };
  if (ENGLISH_WORDS.test(bare) && !ENGLISH_SENTENCE.test(bare))
    return { index: text.indexOf(bare), length: bare.length, value: bare.replace(/\s+/g, ' ') };
  return bare ? { index: 0, length: text.length, invalid: bare } : undefined;
}
