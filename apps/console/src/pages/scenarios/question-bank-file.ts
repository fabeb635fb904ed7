import { type QuestionBank, questionBankSchema, validate } from '@zhibing/protocol';

/** A bank file that is neither JSON nor YAML (as opposed to one that is, but is not a valid bank). */
export class BankFileUnreadable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BankFileUnreadable';
  }
}

/**
 * Reads a question bank file as the API will take it: JSON (`.json`, or text that starts with `{`),
 * otherwise YAML, checked with the API's own schema. Throws BankFileUnreadable when the text does
 * not parse, and ValidationError (every bad field by path) when it is not a bank.
 * The YAML parser is loaded only when a YAML file comes, so the console's first load stays small.
 */
export async function readQuestionBank(fileName: string, text: string): Promise<QuestionBank> {
  const content = text.replace(/^\uFEFF/, '');
  const json = /\.json$/i.test(fileName) || content.trimStart().startsWith('{');
  let value: unknown;
  try {
    value = json ? JSON.parse(content) : (await import('yaml')).parse(content);
  } catch (error) {
    throw new BankFileUnreadable((error as Error).message.split('\n')[0]);
  }
  return validate(questionBankSchema, value, 'question_bank_invalid');
}
