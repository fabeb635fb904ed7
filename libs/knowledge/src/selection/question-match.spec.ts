import { isQuestion, questionMatch, refersBack, weightedBigrams } from './question-match';

const match = (question: string, utterance: string) =>
  questionMatch(weightedBigrams(question), weightedBigrams(utterance));

describe('questionMatch', () => {
  it('is 1 for the same question, whatever the punctuation', () => {
    expect(match('谷爱凌是谁？', '谷爱凌是谁')).toBe(1);
  });

  it('weighs content words over function words', () => {
    // Only "在哪" is shared: a question about another place.
    expect(match('会议室在哪里？', '洗手间在哪')).toBeLessThan(0.15);
    // Only "滑雪" and "学滑" are shared, but they are the topic.
    expect(match('初学者怎么开始学滑雪？', '我想学滑雪')).toBeGreaterThan(0.5);
  });

  it('is 0 when nothing is shared', () => {
    expect(match('华智冰是谁？', '你会弹钢琴吗？')).toBe(0);
  });

  it('does not let an utterance of function words match a question that contains it', () => {
    expect(match('华智冰是谁？', '你是谁')).toBeLessThan(0.35);
  });
});

describe('utterance shape', () => {
  it('tells questions and references back', () => {
    expect([
      isQuestion('冰墩墩是什么'),
      isQuestion('我想学滑雪'),
      refersBack('它几点开门？'),
      refersBack('谷爱凌是谁？'),
    ]).toEqual([true, false, true, false]);
  });
});
