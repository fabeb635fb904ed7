import type { PhaseData } from '../contract';
import { isCandidateQuestion } from './candidate-question';
import type { QuestionsPhaseData } from './interview-data';
import { contextAt, testBank, testFlow } from './interview-fixtures';
import { questionsPhase } from './questions-phase';

const phase = testFlow.phases.find((p) => p.id === 'questions')!;
const as = (data: PhaseData) => data as unknown as QuestionsPhaseData;

describe('questionsPhase', () => {
  it('enters by saying the phase line and the first question of the bank, keeping `count` questions', async () => {
    const result = await questionsPhase.enter(phase, contextAt('2026-01-01T10:00:00Z'));
    expect(result.directive).toEqual({ answer: false, say: ['下面开始提问。', '你在项目里怎么用缓存？'] });
    expect(result.done).toBeUndefined();
    const data = as(result.data);
    expect(data.planned.map((q) => q.id)).toEqual(['cache', 'db']);
    expect(data.asked).toEqual([
      {
        questionId: 'cache',
        text: '你在项目里怎么用缓存？',
        askedAt: '2026-01-01T10:00:00.000Z',
        answers: [],
        followUps: [],
      },
    ]);
  });

  it('asks the follow-up whose words the answer mentions, then the next question, then is done', async () => {
    let data = (await questionsPhase.enter(phase, contextAt('2026-01-01T10:00:00Z'))).data;
    const answer = '我们用 redis 做热点数据缓存，设置了过期时间，也处理了缓存穿透的问题。';
    const first = await questionsPhase.message(phase, data, answer, contextAt('2026-01-01T10:01:00Z', 't1'));
    expect(first.directive).toEqual({ answer: false, say: ['Redis 挂了你们怎么办？'] });
    data = first.data;

    // The limit is one follow-up per question: the next answer moves on even though it is short.
    const second = await questionsPhase.message(phase, data, '有降级方案。', contextAt('2026-01-01T10:02:00Z', 't2'));
    expect(second.directive).toEqual({ answer: false, say: ['好的，下一个问题：说说你做过的数据库优化。'] });
    data = second.data;

    const third = await questionsPhase.message(
      phase,
      data,
      '我给订单表加了联合索引，把一个慢查询从三秒降到五十毫秒，还改写了分页查询。',
      contextAt('2026-01-01T10:03:30Z', 't3'),
    );
    expect(third.directive).toEqual({ answer: false, say: ['好的，我的问题就问到这里。'] });
    expect(third.done).toBe(true);
    const final = as(third.data);
    expect(final.finished).toBe(true);
    expect(final.asked[0].answers).toEqual([{ text: answer, turnId: 't1', at: '2026-01-01T10:01:00.000Z' }]);
    expect(final.asked[0].followUps).toEqual([
      {
        text: 'Redis 挂了你们怎么办？',
        askedAt: '2026-01-01T10:01:00.000Z',
        answers: [{ text: '有降级方案。', turnId: 't2', at: '2026-01-01T10:02:00.000Z' }],
      },
    ]);
    expect(final.asked[1]).toMatchObject({ questionId: 'db', askedAt: '2026-01-01T10:02:00.000Z', followUps: [] });
    // The stored data is a new object each time: the previous state is left as it was.
    expect(as(data).finished).toBe(false);
  });

  it('asks the generic follow-up after a short answer, and none after a long one that names no keyword', async () => {
    const data = (await questionsPhase.enter(phase, contextAt('2026-01-01T10:00:00Z'))).data;
    const short = await questionsPhase.message(phase, data, '用过一些缓存。', contextAt('2026-01-01T10:01:00Z'));
    expect(short.directive.say).toEqual(['能举一个具体的例子吗？']);
    const long = await questionsPhase.message(
      phase,
      data,
      '我们在商品详情页用本地缓存加分布式缓存两级结构，命中率提升到百分之九十五以上。',
      contextAt('2026-01-01T10:01:00Z'),
    );
    expect(long.directive.say).toEqual(['好的，下一个问题：说说你做过的数据库优化。']);
  });

  it('answers a question about the company from knowledge, keeps it, and returns to the open question', async () => {
    const data = (await questionsPhase.enter(phase, contextAt('2026-01-01T10:00:00Z'))).data;
    const result = await questionsPhase.message(
      phase,
      data,
      '你们用什么技术栈？',
      contextAt('2026-01-01T10:00:30Z', 'q1'),
    );
    expect(result.directive).toEqual({ answer: true, say: ['我们回到刚才的问题：你在项目里怎么用缓存？'] });
    expect(as(result.data).candidateQuestions).toEqual([
      { text: '你们用什么技术栈？', turnId: 'q1', at: '2026-01-01T10:00:30.000Z' },
    ]);
    expect(as(result.data).asked[0].answers).toEqual([]);
  });

  it('is done at once, saying why in its data, when there is no bank for the role', async () => {
    const result = await questionsPhase.enter(phase, contextAt('2026-01-01T10:00:00Z', undefined, null));
    expect(result.done).toBe(true);
    expect(as(result.data)).toMatchObject({ role: 'backend-engineer', missingBank: true, finished: true, asked: [] });
  });

  it('asks every question of the bank when the phase gives no count', async () => {
    const all = { ...phase, count: undefined };
    const data = as((await questionsPhase.enter(all, contextAt('2026-01-01T10:00:00Z'))).data);
    expect(data.planned).toHaveLength(testBank.questions.length);
  });
});

describe('isCandidateQuestion', () => {
  it.each([
    ['你们用什么技术栈？', true],
    ['这个岗位主要做什么', true],
    ['面试一共有几轮', true],
    ['可以远程办公吗', true],
    ['What is the team size?', true],
    ['好的，那团队有多少人呢？', true],
    ['我主要负责订单系统的重构。', false],
    ['我不知道怎么说呢', false],
    ['我用 Redis 做消息分发，遇到过缓存雪崩，后来加了随机过期时间，你们也会遇到这种问题吗？', false],
    ['我不太清楚你们用什么数据库', false],
  ])('%s → %s', (text, expected) => {
    expect(isCandidateQuestion(text)).toBe(expected);
  });
});
