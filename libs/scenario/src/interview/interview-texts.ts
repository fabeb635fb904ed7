/** The interview's own words (scripted lines and report notes), in the persona's language. */
export interface InterviewTexts {
  /** After answering the candidate's question from knowledge: back to the open question. */
  backTo(question: string): string;
  nextQuestion(question: string): string;
  /** Said when the last question has been answered. */
  finished: string;
  notes: {
    shortAnswer: string;
    followUps(n: number): string;
    noAnswerTimedOut: string;
    noAnswerEndedEarly: string;
    noAnswer: string;
    askedMeanwhile(n: number): string;
    missingBank(role: string): string;
    endedEarly(answered: number, planned: number): string;
    timedOut(answered: number, planned: number): string;
  };
}

const zh: InterviewTexts = {
  backTo: (q) => `我们回到刚才的问题：${q}`,
  nextQuestion: (q) => `好的，下一个问题：${q}`,
  finished: '好的，我的问题就问到这里。',
  notes: {
    shortAnswer: '回答较短',
    followUps: (n) => `追问 ${n} 次`,
    noAnswerTimedOut: '时间到时未作答',
    noAnswerEndedEarly: '面试提前结束，未作答',
    noAnswer: '尚未作答',
    askedMeanwhile: (n) => `答题期间候选人提问 ${n} 次`,
    missingBank: (role) => `没有岗位 ${role} 的题库，跳过了提问环节`,
    endedEarly: (a, p) => `面试提前结束：${p} 道题中回答了 ${a} 道`,
    timedOut: (a, p) => `答题时间用完：${p} 道题中回答了 ${a} 道`,
  },
};

const en: InterviewTexts = {
  backTo: (q) => `Back to my question: ${q}`,
  nextQuestion: (q) => `Thank you. Next question: ${q}`,
  finished: 'Thank you, that was my last question.',
  notes: {
    shortAnswer: 'short answer',
    followUps: (n) => `${n} follow-up${n === 1 ? '' : 's'} asked`,
    noAnswerTimedOut: 'no answer before time ran out',
    noAnswerEndedEarly: 'interview ended before an answer',
    noAnswer: 'not answered yet',
    askedMeanwhile: (n) => `the candidate asked ${n} question${n === 1 ? '' : 's'} meanwhile`,
    missingBank: (role) => `no question bank for role ${role}: the questions were skipped`,
    endedEarly: (a, p) => `ended early: ${a} of ${p} questions answered`,
    timedOut: (a, p) => `time ran out: ${a} of ${p} questions answered`,
  },
};

/** Chinese unless the locale is English. */
export function interviewTexts(locale: string): InterviewTexts {
  return /^en\b/i.test(locale) ? en : zh;
}
