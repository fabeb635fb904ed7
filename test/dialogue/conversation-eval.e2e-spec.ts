import * as path from 'node:path';
import {
  evaluateConversations,
  figures,
  formatFigures,
  type JudgedTurn,
  loadConversationScripts,
} from '@zhibing/dialogue';

/**
 * The multi-turn evaluation, on a fixed subset of the scripted conversations (the full set runs
 * with `npm run -s cli -- eval conversations`): the conversations the product was reported to fail,
 * plus pronoun follow-ups, chit-chat, out-of-knowledge questions and repeated questions.
 */
const SUBSET = [
  'hz-issue-switches',
  'hz-school',
  'hz-skiers-repeat',
  'fd-wifi-toilet',
  'fd-meeting',
  'iv-four-answers',
  'ld-family',
  'ld-baoyu',
];

describe('multi-turn conversations with the shipped personas (retrieval responder, embedded store)', () => {
  const root = path.join(__dirname, '..', '..');
  let judged: JudgedTurn[];

  beforeAll(async () => {
    const scripts = loadConversationScripts(path.join(root, 'eval', 'conversations')).filter((s) =>
      SUBSET.includes(s.id),
    );
    expect(scripts.map((s) => s.id).sort()).toEqual([...SUBSET].sort());
    judged = await evaluateConversations({ personaDir: path.join(root, 'persona'), scripts });
  }, 120_000);

  it('meets the aims: ≥ 90% grounded in the right knowledge, ≥ 80% fallbacks where nothing answers, no verbatim repeat', () => {
    const f = figures(judged);
    const report = [
      formatFigures(judged),
      ...judged.filter((t) => !t.right).map((t) => `✗ ${t.conversationId}: ${t.user} → ${t.case} ${t.grounded ?? ''}`),
    ].join('\n');
    expect(f.turns).toBe(40);
    const met = f.grounded / f.answerable >= 0.9 && f.fallbacks / f.unanswerable >= 0.8 && f.repeats === 0;
    if (!met) process.stderr.write(`${report}\n`);
    expect(f.grounded / f.answerable).toBeGreaterThanOrEqual(0.9);
    expect(f.fallbacks / f.unanswerable).toBeGreaterThanOrEqual(0.8);
    expect(f.repeats).toBe(0);
  });

  it('华智冰 follows the user from topic to topic instead of repeating her first answer', () => {
    const replies = judged.filter((t) => t.conversationId === 'hz-issue-switches').map((t) => t.reply);
    expect(new Set(replies).size).toBe(5);
    expect(replies[1]).toContain('初级道');
    expect(replies[2]).toContain('冰墩墩');
    expect(replies.slice(1).some((r) => r.includes('谷爱凌'))).toBe(false);
  });

  it("the interviewer meets four accounts with its bank's questions and follow-ups, none from knowledge", () => {
    // The interviewer runs its interview flow: a self-introduction is followed by the bank's first question,
    // a short answer by the question's generic follow-up (scripted lines, not knowledge nor fallbacks).
    const turns = judged.filter((t) => t.conversationId === 'iv-four-answers').slice(0, 4);
    expect(new Set(turns.map((t) => t.reply)).size).toBe(4);
    expect(turns.every((t) => t.case !== 'knowledge')).toBe(true);
    expect(turns[0].reply).toContain('请介绍一个你最有成就感的后端项目');
  });

  it('a question asked again gets its answer again, said as a repetition', () => {
    const [first, second] = judged.filter((t) => t.conversationId === 'hz-skiers-repeat').slice(3);
    expect(second.grounded).toBe(first.grounded);
    expect(second.reply).not.toBe(first.reply);
  });
});
