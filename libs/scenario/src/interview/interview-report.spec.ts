import { type Flow, flowSchema } from '@zhibing/protocol';
import type { PhaseData, ScenarioState } from '../contract';
import { contextAt, testFlow } from './interview-fixtures';
import { interviewReport, type ReportTurn } from './interview-report';
import { interviewReportCsv, interviewReportMarkdown } from './interview-report-render';
import { questionsPhase } from './questions-phase';

const phase = testFlow.phases.find((p) => p.id === 'questions')!;
const CACHE_ANSWER = '我们用 redis 做热点数据缓存，设置了过期时间，也处理了缓存穿透的问题。';
const DB_ANSWER = '我给订单表加了联合索引。把一个慢查询从三秒降到五十毫秒，还改写了分页查询。';

/** Runs the questions phase over messages at fixed instants, as the runtime would. */
async function runQuestions(messages: [at: string, text: string, turnId: string][]): Promise<PhaseData> {
  let data = (await questionsPhase.enter(phase, contextAt('2026-01-01T10:00:40Z'))).data;
  for (const [at, text, turnId] of messages)
    data = (await questionsPhase.message(phase, data, text, contextAt(at, turnId))).data;
  return data;
}

const turn = (id: string, role: ReportTurn['role'], at: string, text: string, replyTo?: string): ReportTurn => ({
  id,
  role,
  text,
  createdAt: `2026-01-01T${at}.000Z`,
  replyTo,
});

function state(path: ScenarioState['path'], phases: ScenarioState['phases'], ended: boolean): ScenarioState {
  const last = path[path.length - 1];
  return { kind: 'interview', phase: last.phase, enteredAt: last.at, phases, path, ended, version: path.length };
}

describe('interviewReport', () => {
  it('reports a whole interview: answers, follow-ups, timings, scores with evidence, Q&A questions', async () => {
    const questions = await runQuestions([
      ['2026-01-01T10:01:40Z', CACHE_ANSWER, 'u1'],
      ['2026-01-01T10:02:00Z', '有降级方案。', 'u2'],
      ['2026-01-01T10:02:30Z', '你们用什么技术栈？', 'u3'],
      ['2026-01-01T10:03:30Z', DB_ANSWER, 'u4'],
    ]);
    const turns = [
      turn('u0', 'user', '10:00:30', '我叫王明，做了三年后端。'),
      turn('u1', 'user', '10:01:40', CACHE_ANSWER),
      turn('u4', 'user', '10:03:30', DB_ANSWER),
      turn('p4', 'persona', '10:03:31', '好的，我的问题就问到这里。', 'u4'),
      turn('u5', 'user', '10:04:00', '团队有多少人？'),
      turn('p5', 'persona', '10:04:01', '平台团队现在有十二位工程师。', 'u5'),
      turn('u6', 'user', '10:04:50', '我没有问题了'),
      turn('p6', 'persona', '10:04:51', '谢谢。', 'u6'),
    ];
    const report = interviewReport({
      conversationId: 'conv',
      personaId: 'interviewer',
      locale: 'zh-CN',
      flow: testFlow,
      turns,
      state: state(
        [
          { phase: 'intro', at: '2026-01-01T10:00:00.000Z', by: 'start' },
          { phase: 'questions', at: '2026-01-01T10:00:40.000Z', by: 'done' },
          { phase: 'qa', at: '2026-01-01T10:03:30.500Z', by: 'done' },
          { phase: 'close', at: '2026-01-01T10:04:50.500Z', by: 'intent' },
        ],
        { questions },
        true,
      ),
    });

    expect(report).toMatchObject({
      role: 'backend-engineer',
      status: 'completed',
      startedAt: '2026-01-01T10:00:00.000Z',
      endedAt: '2026-01-01T10:04:50.500Z',
      notes: [],
    });
    expect(report.questions).toEqual([
      {
        questionId: 'cache',
        text: '你在项目里怎么用缓存？',
        answer: CACHE_ANSWER,
        followUps: [{ text: 'Redis 挂了你们怎么办？', answer: '有降级方案。' }],
        answerTurnIds: ['u1', 'u2'],
        askedAt: '2026-01-01T10:00:40.000Z',
        answeredAt: '2026-01-01T10:02:00.000Z',
        seconds: 80,
        scores: [
          { criterion: '技术深度', score: 4, max: 5, evidence: [CACHE_ANSWER], missing: ['一致性'] },
          { criterion: '表达', score: 1, max: 5, evidence: [], missing: ['场景'] },
        ],
        notes: ['追问 1 次'],
      },
      {
        questionId: 'db',
        text: '说说你做过的数据库优化。',
        answer: DB_ANSWER,
        followUps: [],
        answerTurnIds: ['u4'],
        askedAt: '2026-01-01T10:02:00.000Z',
        answeredAt: '2026-01-01T10:03:30.000Z',
        seconds: 90,
        scores: [
          {
            criterion: '技术深度',
            score: 5,
            max: 5,
            evidence: ['我给订单表加了联合索引。', '把一个慢查询从三秒降到五十毫秒，还改写了分页查询。'],
            missing: [],
          },
        ],
        notes: ['答题期间候选人提问 1 次'],
      },
    ]);
    expect(report.summary).toEqual([
      { criterion: '技术深度', score: 4.5, max: 5 },
      { criterion: '表达', score: 1, max: 5 },
    ]);
    // The Q&A phase's questions, without the words that ended it.
    expect(report.candidateQuestions).toEqual([
      { question: '团队有多少人？', answer: '平台团队现在有十二位工程师。', at: '2026-01-01T10:04:00.000Z' },
    ]);

    const markdown = interviewReportMarkdown(report);
    expect(markdown).toContain('# 面试报告: backend-engineer');
    expect(markdown).toContain('| 技术深度 | 4.5 / 5 |');
    expect(markdown).toContain('## 1. 你在项目里怎么用缓存？\n\n*用时 80 秒*');
    expect(markdown).toContain(`| 技术深度 | 4 / 5 | ${CACHE_ANSWER} | 一致性 |`);
    expect(markdown).toContain('**追问**: Redis 挂了你们怎么办？\n\n> 有降级方案。');
    expect(markdown).toContain('- **团队有多少人？**\n  平台团队现在有十二位工程师。');

    const csv = interviewReportCsv(report).split('\r\n');
    expect(csv).toHaveLength(1 + 3 + 1); // header, a row per question and criterion, the final line break
    expect(csv[0]).toBe(
      'conversation_id,role,status,question_no,question_id,question,answer,follow_ups,asked_at,answered_at,' +
        'seconds,criterion,score,max,evidence,missing,notes',
    );
    expect(csv[2]).toBe(
      'conv,backend-engineer,completed,1,cache,你在项目里怎么用缓存？,' +
        `${CACHE_ANSWER},Redis 挂了你们怎么办？ → 有降级方案。,2026-01-01T10:00:40.000Z,` +
        '2026-01-01T10:02:00.000Z,80,表达,1,5,,场景,追问 1 次',
    );
  });

  it('says which question had no answer when the questions phase timed out', async () => {
    const timed: Flow = flowSchema.parse({
      ...testFlow,
      phases: testFlow.phases.map((p) => (p.id === 'questions' ? { ...p, timer: { seconds: 60, then: 'qa' } } : p)),
    });
    const questions = await runQuestions([
      ['2026-01-01T10:01:00Z', CACHE_ANSWER, 'u1'],
      ['2026-01-01T10:01:10Z', '有降级方案。', 'u2'],
    ]);
    const report = interviewReport({
      conversationId: 'conv',
      personaId: 'interviewer',
      locale: 'zh-CN',
      flow: timed,
      turns: [],
      state: state(
        [
          { phase: 'intro', at: '2026-01-01T10:00:00.000Z', by: 'start' },
          { phase: 'questions', at: '2026-01-01T10:00:40.000Z', by: 'done' },
          { phase: 'qa', at: '2026-01-01T10:01:40.000Z', by: 'timer' },
        ],
        { questions },
        false,
      ),
    });
    expect(report.status).toBe('timed-out');
    expect(report.endedAt).toBeUndefined();
    expect(report.notes).toEqual(['答题时间用完：2 道题中回答了 1 道']);
    expect(report.questions.map((q) => q.notes)).toEqual([['追问 1 次'], ['时间到时未作答']]);
    expect(report.questions[1].scores).toEqual([
      { criterion: '技术深度', score: 1, max: 5, evidence: [], missing: ['索引/index', '慢查询'] },
    ]);
  });

  it('reports an interview ended before the questions, and one that is still running', () => {
    const early = interviewReport({
      conversationId: 'conv',
      personaId: 'interviewer',
      locale: 'en',
      flow: testFlow,
      turns: [],
      state: state(
        [
          { phase: 'intro', at: '2026-01-01T10:00:00.000Z', by: 'start' },
          { phase: 'close', at: '2026-01-01T10:00:20.000Z', by: 'action' },
        ],
        {},
        true,
      ),
    });
    expect(early).toMatchObject({
      status: 'ended-early',
      questions: [],
      notes: ['ended early: 0 of 2 questions answered'],
    });
    const running = interviewReport({
      conversationId: 'conv',
      personaId: 'interviewer',
      locale: 'zh-CN',
      flow: testFlow,
      turns: [],
      state: state([{ phase: 'intro', at: '2026-01-01T10:00:00.000Z', by: 'start' }], {}, false),
    });
    expect(running.status).toBe('in-progress');
  });

  it('refuses a conversation whose flow has no questions phase', () => {
    const chat = flowSchema.parse({ phases: [{ id: 'chat', kind: 'chat' }] });
    const input = {
      conversationId: 'conv',
      personaId: 'p',
      locale: 'zh-CN',
      flow: chat,
      turns: [],
      state: state([{ phase: 'chat', at: '2026-01-01T10:00:00.000Z', by: 'start' }], {}, false),
    };
    expect(() => interviewReport(input)).toThrow(expect.objectContaining({ code: 'interview_not_found' }));
  });
});
