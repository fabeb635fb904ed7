import { flowSchema, ValidationError } from '@zhibing/protocol';
import { mergeHandoffs, withHandoff } from './handoff-queue-state';
import { formatDuration, formatScore, questionSeconds, reportFileName, scoreShare } from './interview-report';
import { BankFileUnreadable, readQuestionBank } from './question-bank-file';
import { recordColumns } from './scenario-records';

describe('interview report helpers', () => {
  it('formats durations and scores as a recruiter reads them', () => {
    expect([0, 5, 65, 600, 3725].map(formatDuration)).toEqual(['0:00', '0:05', '1:05', '10:00', '1:02:05']);
    expect(formatScore(2.6667, 5)).toBe('2.7 / 5');
    expect([scoreShare(3, 4), scoreShare(5, 4), scoreShare(1, 0)]).toEqual([0.75, 1, 0]);
    expect(reportFileName({ personaId: 'interviewer', role: 'frontend', conversationId: 'abcdef123456' }, 'md')).toBe(
      'interview-frontend-abcdef12.md',
    );
  });

  it('takes a question’s seconds from the report, else from its times', () => {
    const asked = { askedAt: '2026-11-25T02:00:00.000Z' } as const;
    const q = { questionId: 'q', text: '', followUps: [], answer: '', answerTurnIds: [], scores: [], notes: [] };
    expect(questionSeconds({ ...q, ...asked, seconds: 42 })).toBe(42);
    expect(questionSeconds({ ...q, ...asked, answeredAt: '2026-11-25T02:01:30.000Z' })).toBe(90);
    expect(questionSeconds({ ...q, ...asked })).toBeUndefined();
  });
});

describe('question bank files', () => {
  const bank = {
    role: 'frontend',
    title: '前端工程师',
    questions: [{ id: 'react', text: '讲讲 React 的渲染过程。', criteria: [{ name: '深度', points: ['虚拟 DOM'] }] }],
  };

  it('reads JSON and YAML into the same bank, defaults filled by the API’s schema', async () => {
    const yaml = [
      'role: frontend',
      'title: 前端工程师',
      'questions:',
      '  - id: react',
      '    text: 讲讲 React 的渲染过程。',
      '    criteria:',
      '      - name: 深度',
      '        points: [虚拟 DOM]',
    ].join('\n');
    const fromJson = await readQuestionBank('bank.json', JSON.stringify(bank));
    expect(fromJson.questions[0].followUps).toEqual([]);
    await expect(readQuestionBank('bank.yaml', yaml)).resolves.toEqual(fromJson);
    // A .txt holding JSON is read as JSON.
    await expect(readQuestionBank('bank.txt', `\uFEFF${JSON.stringify(bank)}`)).resolves.toEqual(fromJson);
  });

  it('tells a file that does not parse from one that is not a bank, naming each bad field', async () => {
    await expect(readQuestionBank('bank.json', '{"role":')).rejects.toBeInstanceOf(BankFileUnreadable);
    await expect(readQuestionBank('bank.yaml', 'role: [unclosed')).rejects.toBeInstanceOf(BankFileUnreadable);
    const invalid = readQuestionBank('bank.json', JSON.stringify({ ...bank, role: 'Front End', questions: [] }));
    await expect(invalid).rejects.toBeInstanceOf(ValidationError);
    const issues = await invalid.catch((e: ValidationError) => e.issues.map((i) => i.path).sort());
    expect(issues).toEqual(['questions', 'role']);
  });
});

describe('registration columns', () => {
  const rows: { data: Record<string, string> }[] = [
    { data: { name: '张三', phone: '13800000000' } },
    { data: { name: '李四', company: '智谱', phone: '1' } },
  ];

  it('lists every field in the order first seen when no form declares them', () => {
    expect(recordColumns(rows).map((c) => c.name)).toEqual(['name', 'phone', 'company']);
    expect(recordColumns([])).toEqual([]);
  });

  it('puts the form’s slots first, in its order and with its labels', () => {
    const flow = flowSchema.parse({
      phases: [
        { id: 'desk', kind: 'chat' },
        {
          id: 'registration',
          kind: 'form',
          recordKind: 'registration',
          slots: [
            { name: 'phone', label: '联系电话', ask: '电话？', type: 'phone' },
            { name: 'name', label: '姓名', ask: '怎么称呼？', type: 'name' },
          ],
        },
        { id: 'survey', kind: 'form', recordKind: 'survey', slots: [{ name: 'score', label: '评分', ask: '几分？' }] },
      ],
    });
    expect(recordColumns(rows, [{ flow }, { flow: undefined }])).toEqual([
      { name: 'phone', label: '联系电话' },
      { name: 'name', label: '姓名' },
      { name: 'company', label: 'company' },
    ]);
  });
});

describe('hand-off queue', () => {
  const request = (conversationId: string, at: string) => ({ conversationId, personaId: 'front-desk', reason: '', at });

  it('keeps one row per conversation, longest waiting first, a repeat keeping its place', () => {
    let queue = withHandoff([], request('b', '2026-11-25T02:00:05Z'));
    queue = withHandoff(queue, request('a', '2026-11-25T02:00:01Z'));
    queue = withHandoff(queue, { ...request('b', '2026-11-25T02:00:09Z'), reason: '再次请求' });
    expect(queue.map((r) => [r.conversationId, r.at, r.reason])).toEqual([
      ['a', '2026-11-25T02:00:01Z', ''],
      ['b', '2026-11-25T02:00:05Z', '再次请求'],
    ]);
  });

  it('merges a fresh list with requests that arrived while it was fetched', () => {
    const listed = [request('a', '2026-11-25T02:00:01Z')];
    const meanwhile = [request('c', '2026-11-25T02:00:07Z'), request('a', '2026-11-25T02:00:01Z')];
    expect(mergeHandoffs(listed, meanwhile).map((r) => r.conversationId)).toEqual(['a', 'c']);
    expect(mergeHandoffs([], [])).toEqual([]);
  });
});
