import type { InterviewReport } from '@zhibing/protocol';

interface Labels {
  title: string;
  status: Record<InterviewReport['status'], string>;
  started: string;
  ended: string;
  summary: string;
  criterion: string;
  score: string;
  evidence: string;
  missing: string;
  answer: string;
  followUp: string;
  seconds: (s: number) => string;
  notes: string;
  candidateQuestions: string;
  none: string;
}

const zh: Labels = {
  title: '面试报告',
  status: { completed: '已完成', 'ended-early': '提前结束', 'timed-out': '超时', 'in-progress': '进行中' },
  started: '开始',
  ended: '结束',
  summary: '总评',
  criterion: '维度',
  score: '得分',
  evidence: '依据',
  missing: '未提及',
  answer: '回答',
  followUp: '追问',
  seconds: (s) => `用时 ${s} 秒`,
  notes: '备注',
  candidateQuestions: '候选人提问',
  none: '（无）',
};

const en: Labels = {
  title: 'Interview report',
  status: {
    completed: 'completed',
    'ended-early': 'ended early',
    'timed-out': 'timed out',
    'in-progress': 'in progress',
  },
  started: 'Started',
  ended: 'Ended',
  summary: 'Summary',
  criterion: 'Criterion',
  score: 'Score',
  evidence: 'Evidence',
  missing: 'Missing',
  answer: 'Answer',
  followUp: 'Follow-up',
  seconds: (s) => `${s} s`,
  notes: 'Notes',
  candidateQuestions: "Candidate's questions",
  none: '(none)',
};

const labelsFor = (locale: string) => (/^en\b/i.test(locale) ? en : zh);

/** Markdown a recruiter reads or pastes: heading, summary table, each question with its answer and scores. */
export function interviewReportMarkdown(report: InterviewReport, locale = 'zh-CN'): string {
  const l = labelsFor(locale);
  const out: string[] = [
    `# ${l.title}: ${report.role}`,
    '',
    `- ${l.status[report.status]} · ${report.personaId} · ${report.conversationId}`,
    `- ${l.started}: ${report.startedAt}${report.endedAt ? ` · ${l.ended}: ${report.endedAt}` : ''}`,
    ...report.notes.map((n) => `- ${n}`),
    '',
    `## ${l.summary}`,
    '',
    `| ${l.criterion} | ${l.score} |`,
    '| --- | --- |',
    ...report.summary.map((s) => `| ${cell(s.criterion)} | ${s.score} / ${s.max} |`),
  ];
  report.questions.forEach((q, i) => {
    out.push('', `## ${i + 1}. ${q.text}`, '');
    if (q.seconds !== undefined) out.push(`*${l.seconds(q.seconds)}*`, '');
    out.push(`**${l.answer}**`, '', quote(q.answer || l.none), '');
    for (const f of q.followUps) out.push(`**${l.followUp}**: ${f.text}`, '', quote(f.answer || l.none), '');
    if (q.scores.length > 0) {
      out.push(`| ${l.criterion} | ${l.score} | ${l.evidence} | ${l.missing} |`, '| --- | --- | --- | --- |');
      for (const s of q.scores) {
        const evidence = cell(s.evidence.join(' / '));
        out.push(`| ${cell(s.criterion)} | ${s.score} / ${s.max} | ${evidence} | ${cell(s.missing.join('、'))} |`);
      }
      out.push('');
    }
    if (q.notes.length > 0) out.push(`${l.notes}: ${q.notes.join('；')}`, '');
  });
  out.push(`## ${l.candidateQuestions}`, '');
  if (report.candidateQuestions.length === 0) out.push(l.none);
  for (const c of report.candidateQuestions) out.push(`- **${c.question}**`, `  ${c.answer.replace(/\n/g, ' ')}`);
  return `${out.join('\n').trimEnd()}\n`;
}

export const INTERVIEW_CSV_HEADER = [
  'conversation_id',
  'role',
  'status',
  'question_no',
  'question_id',
  'question',
  'answer',
  'follow_ups',
  'asked_at',
  'answered_at',
  'seconds',
  'criterion',
  'score',
  'max',
  'evidence',
  'missing',
  'notes',
];

/** CSV for spreadsheets: a row per question and criterion (a question with no criteria has one row). */
export function interviewReportCsv(report: InterviewReport): string {
  const rows = [INTERVIEW_CSV_HEADER];
  report.questions.forEach((q, i) => {
    const common = [
      report.conversationId,
      report.role,
      report.status,
      String(i + 1),
      q.questionId,
      q.text,
      q.answer,
      q.followUps.map((f) => `${f.text} → ${f.answer}`).join('\n'),
      q.askedAt,
      q.answeredAt ?? '',
      q.seconds === undefined ? '' : String(q.seconds),
    ];
    const scores = q.scores.length > 0 ? q.scores : [undefined];
    for (const s of scores)
      rows.push([
        ...common,
        s?.criterion ?? '',
        s ? String(s.score) : '',
        s ? String(s.max) : '',
        s?.evidence.join('\n') ?? '',
        s?.missing.join('; ') ?? '',
        q.notes.join('; '),
      ]);
  });
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula. */
function csvField(value: string): string {
  const guarded = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) || guarded !== value ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** A Markdown table cell: no line breaks, pipes escaped. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

const quote = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
