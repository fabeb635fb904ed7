import type { RankedKnowledge } from '@zhibing/knowledge';
import { personaSchema } from '@zhibing/persona';
import type { GenerationEvent } from '@zhibing/engine';
import { decideGrounding } from './reply/grounding';
import { RetrievalResponder } from './retrieval-responder';

const persona = personaSchema.parse({
  id: 'p',
  name: '前台小智',
  profile: '前台',
  greeting: '您好，欢迎光临！',
  fallback: ['这个我帮您转人工。', '这个我不太清楚。'],
  voice: { openers: ['好的，'], followUps: ['还有什么可以帮您？'], again: ['再说一遍：'] },
  grounding: { postResponse: '小智笑了笑。' },
});
const prompt = {
  persona: { name: '小智', profile: '前台', style: '', examples: [] },
  userName: '用户',
  background: [],
  history: [],
  current: { text: 'x', knowledge: [] },
};
const parts = (newest: number) => ({
  entity: 1,
  relationCue: 0,
  prior: 1,
  novelty: 1,
  lexical: 0,
  dense: 0,
  fused: 1,
  newest,
});
const fact: RankedKnowledge = {
  item: { id: 'k1', kind: 'fact', head: '故宫', relation: '门票', tail: '旺季60元' },
  score: 1,
  parts: parts(0.9),
};

async function collect(events: AsyncIterable<GenerationEvent>) {
  const out: GenerationEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function replyText(
  knowledge: RankedKnowledge[],
  utterance: string,
  earlierReplies: string[],
  turnCount = 0,
  repeatOf?: string,
) {
  const responder = new RetrievalResponder();
  const grounding = decideGrounding(knowledge, utterance, { repeatOf });
  const { trace, events } = responder.reply({
    persona,
    prompt,
    knowledge,
    grounding,
    earlierReplies,
    turnCount,
    signal: new AbortController().signal,
  });
  const end = (await collect(events)).pop();
  return { trace, text: end?.type === 'end' ? end.text : '' };
}

describe('RetrievalResponder', () => {
  it('answers with the knowledge that answers the utterance, streamed, and says no model wrote it', async () => {
    const responder = new RetrievalResponder();
    const grounding = decideGrounding([fact], '故宫门票多少钱？');
    const { trace, events } = responder.reply({
      persona,
      prompt,
      knowledge: [fact],
      grounding,
      earlierReplies: [],
      turnCount: 0,
      signal: new AbortController().signal,
    });
    const out = await collect(events);
    expect(trace.note).toBe(
      'no generative model configured: the retrieval responder answered; answered from knowledge k1',
    );
    expect(out.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text)).toEqual([
      '故宫的门票是旺季60元。',
    ]);
    expect(out[out.length - 1]).toMatchObject({ type: 'end', text: '故宫的门票是旺季60元。', finishReason: 'stop' });
  });

  it("speaks in the persona's voice on later turns: its lead-ins, follow-ups and post-response", async () => {
    const texts = await Promise.all(
      [1, 2, 3].map(async (turn) => (await replyText([fact], '门票呢？', [], turn)).text),
    );
    expect(texts).toEqual([
      '好的，故宫的门票是旺季60元。还有什么可以帮您？',
      '故宫的门票是旺季60元。（小智笑了笑。）',
      '好的，故宫的门票是旺季60元。',
    ]);
  });

  it('says it does not know, in its own words, when nothing answers the utterance well enough', async () => {
    const weak = { ...fact, parts: parts(0.05) };
    const { trace, text } = await replyText([weak], '你们老板是谁？', [], 0);
    expect(text).toBe('这个我帮您转人工。');
    expect(trace.note).toContain('fallback: nothing in the knowledge answers this');
  });

  it('never repeats an earlier reply word for word, and says when it answers the same question again', async () => {
    const said = ['这个我帮您转人工。'];
    expect((await replyText([], '老板是谁？', said, 0)).text).toBe('这个我不太清楚。');
    expect((await replyText([], '老板是谁？', [...said, '这个我不太清楚。'], 0)).text).toBe(
      '这个我帮您转人工。还有什么可以帮您？',
    );
    const first = (await replyText([fact], '故宫门票多少钱？', [], 0)).text;
    const again = (await replyText([fact], '故宫门票多少钱？', [first], 0, 'turn-1')).text;
    expect(again).toBe('再说一遍：故宫的门票是旺季60元。');
  });

  it("answers a greeting with the persona's greeting", async () => {
    expect((await replyText([], '你好！', [], 0)).text).toBe('您好，欢迎光临！');
  });

  it('says knowledge about the persona itself in the first person', async () => {
    const self: RankedKnowledge = {
      item: { id: 'k3', kind: 'fact', head: '小智', relation: '工作地点', tail: '一楼大厅' },
      score: 1,
      parts: parts(0.9),
    };
    expect((await replyText([self], '你在哪里工作？', [], 0)).text).toBe('我的工作地点是一楼大厅。');
  });

  it('stops at once when aborted, ending as cancelled with the partial text', async () => {
    const controller = new AbortController();
    const knowledge: RankedKnowledge[] = [
      {
        item: { id: 'k2', kind: 'qa', question: 'q', answer: '一二三四五。六七八九十。一二三四五。' },
        score: 1,
        parts: parts(1),
      },
    ];
    const grounding = decideGrounding(knowledge, 'q');
    const { events } = new RetrievalResponder().reply({
      persona,
      prompt,
      knowledge,
      grounding,
      earlierReplies: [],
      turnCount: 0,
      signal: controller.signal,
    });
    const out: GenerationEvent[] = [];
    for await (const event of events) {
      out.push(event);
      if (out.length === 1) controller.abort();
    }
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ type: 'end', text: '一二三四五。', finishReason: 'cancelled' });
  });
});
