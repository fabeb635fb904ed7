/**
 * Words that signal which relation a question asks about. The KB's own relation names are cues
 * for themselves; this table adds the everyday ways people ask for the common ones.
 */
const SYNONYMS: Record<string, string[]> = {
  地址: ['地址', '在哪', '哪里', '哪儿', '位置', '位于', '怎么去', '怎么走', '坐落', '地点', '地方在'],
  门票: ['门票', '票价', '多少钱', '收费', '免费', '要钱', '花钱', '买票', '票', '价格', '价钱'],
  开放时间: ['开放时间', '几点', '开门', '关门', '营业', '开放', '什么时候', '时间段', '闭馆'],
  电话: ['电话', '号码', '联系', '咨询', '热线', '打给'],
  建议游玩时间: ['游玩时间', '玩多久', '多长时间', '多久', '逛多久', '待多久', '呆多久', '花多少时间', '几个小时', '时长'],
  周边景点: ['周边', '附近', '周围', '旁边', '边上', '附近的景点', '还有什么', '别的景点', '其他景点', '推荐'],
  Information: ['介绍', '了解', '是什么', '怎么样', '有什么', '知道', '特色', '好玩', '值得'],
};

export class RelationCues {
  private readonly cues: { relation: string; word: string }[];

  constructor(relations: Iterable<string>) {
    const known = new Set(relations);
    const cues: { relation: string; word: string }[] = [];
    for (const relation of known) {
      cues.push({ relation, word: relation });
      for (const word of SYNONYMS[relation] ?? []) cues.push({ relation, word });
    }
    // Longer cue words first: "开放时间" should win over "时间"-like fragments.
    this.cues = cues.sort((a, b) => b.word.length - a.word.length);
  }

  /** Relations cued in `text`, each with the strength of its best cue (longer = more specific). */
  detect(text: string): Map<string, number> {
    const found = new Map<string, number>();
    for (const { relation, word } of this.cues) {
      if (!text.includes(word)) continue;
      const strength = word === relation ? 1 : Math.min(1, 0.5 + word.length * 0.15);
      found.set(relation, Math.max(found.get(relation) ?? 0, strength));
    }
    return found;
  }
}
