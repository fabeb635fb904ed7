import type { TurnRecord } from '../conversation.repository';
import { findRepeatedQuestion } from './repeated-question';

const turn = (id: string, role: 'user' | 'persona', text: string): TurnRecord => ({
  id,
  seq: 0,
  role,
  text,
  status: 'complete',
  clientMessageId: null,
  replyTo: null,
  trace: null,
  createdAt: '',
  completedAt: null,
});

describe('findRepeatedQuestion', () => {
  const earlier = [
    turn('u1', 'user', '洗手间在哪里？'),
    turn('p1', 'persona', '每层电梯间的左手边都有洗手间。'),
    turn('u2', 'user', 'WiFi密码是多少？'),
  ];

  it('finds the user turn that asked the same thing, punctuation aside', () => {
    expect(findRepeatedQuestion(earlier, '洗手间在哪里')?.id).toBe('u1');
  });

  it("finds nothing for a new question, and never matches the persona's own words", () => {
    expect(findRepeatedQuestion(earlier, '会议室在哪里？')).toBeUndefined();
    expect(findRepeatedQuestion(earlier, '每层电梯间的左手边都有洗手间。')).toBeUndefined();
  });
});
