/**
 * The shape of a fact's value, and the question words that ask for a value of that shape. This is
 * knowledge of Chinese (how one asks for a date, an amount, a person, a place), not of any
 * domain: a knowledge base's relations are cued by what their values look like.
 */
export type ValueShape = 'phone' | 'clock' | 'duration' | 'money' | 'date' | 'number' | 'place' | 'person';

export const SHAPE_CUES: Record<ValueShape, string[]> = {
  phone: ['电话', '号码', '联系方式', '怎么联系', '热线', '打给'],
  clock: ['几点', '几时', '什么时候', '开门', '关门', '营业', '开放', '多早', '多晚'],
  duration: ['多久', '多长时间', '多少时间', '几个小时', '几小时', '多长', '时长', '几天'],
  money: ['多少钱', '价格', '价钱', '费用', '收费', '免费', '花钱', '要钱', '贵不贵', '便宜'],
  date: ['哪年', '哪一年', '什么时候', '何时', '几号', '几月', '哪天', '年份', '多大'],
  number: ['多少', '多高', '多大', '多长', '几个', '第几'],
  place: ['在哪', '哪里', '哪儿', '什么地方', '哪个地方', '位置', '位于', '怎么去', '怎么走', '哪个国家', '哪国'],
  person: ['谁', '哪位', '哪些人', '什么人'],
};

const PHONE = /^[\d\s\-+,，、;；()（）转]{7,}$/;
const CLOCK = /\d{1,2}[:：]\d{2}|全天|24小时/;
const DURATION = /\d+(\.\d+)?\s*(小时|分钟|天|周|个月)|半天|一天/;
const MONEY = /\d[\d,.]*\s*(元|块|美元|欧元|日元|英镑|港币|万|亿)|[$¥￥]|免费|无需/;
const DATE = /\d{4}\s*年|\d{1,2}月\d{1,2}日|^\d{4}$|^\d{4}[-./]\d{1,2}/;
const NUMBER = /^[约近超过]?\d[\d,.]*\s*[^\d\s]{0,4}$/;
/** Administrative units and street words anywhere, or a place-noun suffix (馆 院 苑 园 宫 楼 寺 山 湖 站 室 …). */
const PLACE = /[省市区县州镇乡村路街巷道]|号$|[国岛洲馆院苑园宫府楼阁殿堂寺庙塔桥山湖河江港站城厅室]$/;

/** What the knowledge base tells about a value beyond its text. */
export interface ValueContext {
  /** Whether the value names a person (see RelationCues). */
  isPerson(value: string): boolean;
  /** Whether the value is an entity of the base itself. */
  isEntity(value: string): boolean;
}

const NO_CONTEXT: ValueContext = { isPerson: () => false, isEntity: () => false };

/**
 * The shape of one value. The order puts the narrow shapes first, so "010-6512" is a phone, not a
 * number, and "8:30-17:00" a clock time, not a date. A value that is an entity of the base is a
 * thing the fact points at (a neighbouring sight), not where its head is: it is never a place.
 */
export function valueShape(value: string, context: ValueContext = NO_CONTEXT): ValueShape | undefined {
  const text = value.trim();
  if (PHONE.test(text) && /\d{5}/.test(text.replace(/[\s-]/g, ''))) return 'phone';
  if (CLOCK.test(text)) return 'clock';
  if (DURATION.test(text) && !DATE.test(text)) return 'duration';
  if (MONEY.test(text)) return 'money';
  if (DATE.test(text)) return 'date';
  if (NUMBER.test(text)) return 'number';
  if (context.isPerson(text)) return 'person';
  if (PLACE.test(text) && text.length <= 40 && !context.isEntity(text)) return 'place';
  return undefined;
}
