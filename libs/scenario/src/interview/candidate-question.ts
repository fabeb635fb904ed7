/**
 * Tells a candidate's question about the company or the role ("你们用什么技术栈？") from an answer
 * to the interviewer's question. Only the message's end counts: a question form there (？, 吗/呢,
 * or a question word aimed at the company), with no account of the candidate's own before it. A
 * long answer that ends with a question stays an answer: it is what the candidate was asked for.
 */

const ASKED = /[？?]$/u;
const PARTICLE = /(吗|呢|么|嘛)$/u;
const QUESTION_WORD = /(什么|怎么|怎样|如何|多少|哪|几|是否|能否|为什么|有没有|是不是|能不能|可不可以)/u;
const ABOUT_THEM = /(你们|贵司|公司|岗位|职位|团队|部门|面试|薪资|待遇|加班|远程|培训|入职|办公|上班|福利)/u;
/** Fillers that end like a question but are not one ("怎么说呢", "对吧"). */
const FILLER = /(怎么说呢|对吧|是吧|你知道吗)$/u;
/** More than this many characters before the final question: an answer with a question tacked on. */
const ACCOUNT_BEFORE = 25;

export function isCandidateQuestion(text: string): boolean {
  const body = text.trim().replace(/[\s。！!.…~～]+$/u, '');
  const clauses = body
    .split(/[。！!；;？?，,\n]/u)
    .map((c) => c.trim())
    .filter(Boolean);
  const last = clauses.at(-1) ?? '';
  if (!last || FILLER.test(last)) return false;
  const questionForm =
    ASKED.test(body) ||
    PARTICLE.test(last) ||
    (QUESTION_WORD.test(last) && ABOUT_THEM.test(last) && !/^我/u.test(last));
  if (!questionForm) return false;
  const before = clauses.slice(0, -1).join('');
  return [...before].length <= ACCOUNT_BEFORE;
}
