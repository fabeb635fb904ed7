import type { RankedKnowledge } from '@zhibing/knowledge';
import { personaSchema } from '@zhibing/persona';
import type { GenerationEvent } from '@zhibing/engine';
import { RetrievalResponder } from './retrieval-responder';

const persona = personaSchema.parse({ id: 'p', name: '小智', profile: '前台', greeting: '您好', fallback: ['这个我帮您转人工。'] });
const prompt = { persona: { name: '小智', profile: '前台', style: '', examples: [] }, userName: '用户', background: [], history: [], current: { text: 'x', knowledge: [] } };
const parts = (entity: number) => ({ entity, relationCue: 0, prior: 1, novelty: 1, lexical: 0, dense: 0, newest: 0, fused: 1 });

async function collect(events: AsyncIterable<GenerationEvent>) {
  const out: GenerationEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('RetrievalResponder', () => {
  const responder = new RetrievalResponder();

  it('answers with the best knowledge, streamed in pieces, and says so in the trace', async () => {
    const knowledge: RankedKnowledge[] = [{ item: { id: 'k1', kind: 'fact', head: '故宫', relation: '门票', tail: '旺季60元' }, score: 1, parts: parts(1) }];
    const { trace, events } = responder.reply({ persona, prompt, knowledge, turnCount: 1, signal: new AbortController().signal });
    const out = await collect(events);
    expect(trace).toEqual({ engine: 'retrieval', note: 'answered from knowledge k1' });
    expect(out.filter((e) => e.type === 'delta').length).toBeGreaterThan(1);
    expect(out[out.length - 1]).toMatchObject({ type: 'end', text: '故宫的门票是旺季60元。', finishReason: 'stop' });
  });

  it('falls back to the persona\'s line when nothing relevant is known', async () => {
    const { events } = responder.reply({ persona, prompt, knowledge: [], turnCount: 3, signal: new AbortController().signal });
    expect((await collect(events)).pop()).toMatchObject({ type: 'end', text: '这个我帮您转人工。' });
  });

  it('stops at once when aborted, ending as cancelled with the partial text', async () => {
    const controller = new AbortController();
    const knowledge: RankedKnowledge[] = [{ item: { id: 'k2', kind: 'qa', question: 'q', answer: '一二三四五六七八九十一二三四五六七八九十' }, score: 1, parts: parts(1) }];
    const { events } = responder.reply({ persona, prompt, knowledge, turnCount: 1, signal: controller.signal });
    const out: GenerationEvent[] = [];
    for await (const event of events) {
      out.push(event);
      if (out.length === 1) controller.abort();
    }
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ type: 'end', text: '一二三四', finishReason: 'cancelled' });
  });
});
