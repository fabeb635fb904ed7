import { type QuestionBank, questionBankSchema, validate } from '@zhibing/protocol';
import { parse, stringify } from 'yaml';
import { InterviewError } from './interview.errors';

/**
 * A bank from a file's text, YAML or JSON (JSON is YAML): question_bank_invalid when it does not
 * parse or does not match questionBankSchema (each bad field in `issues`).
 */
export function parseQuestionBank(text: string): QuestionBank {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InterviewError('question_bank_invalid', `Not YAML or JSON: ${message}`);
  }
  return validate(questionBankSchema, document, 'question_bank_invalid');
}

/** The bank as YAML, ready to edit and import again. */
export function questionBankYaml(bank: QuestionBank): string {
  return stringify(bank, { lineWidth: 0 });
}
