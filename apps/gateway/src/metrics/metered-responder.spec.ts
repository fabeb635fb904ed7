import { decideGrounding, RetrievalResponder } from '@zhibing/dialogue';
import type { GenerationEvent } from '@zhibing/engine';
import { personaSchema } from '@zhibing/persona';
import { Registry } from 'prom-client';
import { GenerationMetrics } from './generation-metrics';
import { meterResponder } from './metered-responder';

const persona = personaSchema.parse({
  id: 'p',
  name: '小智',
  profile: '前台',
  greeting: '您好！',
  fallback: ['不清楚。'],
});
const prompt = {
  persona: { name: '小智', profile: '前台', style: '', examples: [] },
  userName: '用户',
  background: [],
  history: [],
  current: { text: 'x', knowledge: [] },
};
const fact = {
  item: { id: 'k1', kind: 'fact' as const, head: '故宫', relation: '门票', tail: '旺季六十元，淡季四十元' },
  score: 1,
  parts: { entity: 1, relationCue: 0, prior: 1, novelty: 1, lexical: 0, dense: 0, fused: 1, newest: 0.9 },
};

async function reply(responder: ReturnType<typeof meterResponder>): Promise<GenerationEvent[]> {
  const { events } = responder.reply({
    persona,
    prompt,
    knowledge: [fact],
    grounding: decideGrounding([fact], '故宫门票多少钱？'),
    earlierReplies: [],
    turnCount: 0,
    signal: new AbortController().signal,
  });
  const out: GenerationEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('meterResponder', () => {
  it('passes the reply through unchanged and adds its tokens, seconds and first-token time to /metrics', async () => {
    const registry = new Registry();
    const metered = meterResponder(new RetrievalResponder(), new GenerationMetrics(registry));
    expect(metered.name).toBe(new RetrievalResponder().name);

    const first = await reply(metered);
    const second = await reply(metered);
    const ends = [first, second].map((events) => events.at(-1)!).filter((e) => e.type === 'end');
    expect(ends).toHaveLength(2);
    expect(
      first
        .filter((e) => e.type === 'delta')
        .map((e) => e.text)
        .join(''),
    ).toBe(ends[0].text);

    const text = await registry.metrics();
    const value = (sample: string) =>
      Number(new RegExp(`^${sample}\\{responder="[^"]+"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    const tokens = ends.reduce((sum, e) => sum + (e.type === 'end' ? e.usage.completionTokens : 0), 0);
    const seconds = ends.reduce((sum, e) => sum + (e.type === 'end' ? e.timings.totalMs / 1000 : 0), 0);
    expect(tokens).toBeGreaterThan(0);
    expect(value('zhibing_generation_tokens_total')).toBe(tokens);
    expect(value('zhibing_generation_seconds_total')).toBeCloseTo(seconds, 6);
    expect(value('zhibing_generation_first_token_seconds_count')).toBe(2);
    expect(text).toContain(`zhibing_generation_tokens_total{responder="${metered.name}"} ${tokens}`);
  });
});
