import type { QuestionBank } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';
import { InterviewError } from './interview.errors';

/** A stored bank's line in a listing. */
export interface QuestionBankSummary {
  role: string;
  title: string;
  questionCount: number;
  updatedAt: string;
}

/** The workspace's question banks (`question_banks`), one per role, read and written whole. */
export class QuestionBankRepository {
  constructor(private readonly db: DataSource) {}

  /** Every stored bank of the workspace, by role. */
  async list(workspaceId: string): Promise<QuestionBankSummary[]> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT role, title, jsonb_array_length(questions) AS count, updated_at FROM question_banks
       WHERE workspace_id = $1 ORDER BY role`,
      [workspaceId],
    );
    return rows.map((r) => ({
      role: String(r.role),
      title: String(r.title),
      questionCount: Number(r.count),
      updatedAt: new Date(r.updated_at as string).toISOString(),
    }));
  }

  /** The stored bank for `role`, or undefined (the interview then falls back to the persona's own). */
  async find(workspaceId: string, role: string): Promise<QuestionBank | undefined> {
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT role, title, questions FROM question_banks WHERE workspace_id = $1 AND role = $2`,
      [workspaceId, role],
    );
    return rows[0] ? toBank(rows[0]) : undefined;
  }

  /** Stores a validated bank, replacing the role's bank if there is one; says whether it was new. */
  async put(workspaceId: string, bank: QuestionBank): Promise<{ created: boolean; updatedAt: string }> {
    const rows: { created: boolean; updated_at: string }[] = await this.db.query(
      `INSERT INTO question_banks (workspace_id, role, title, questions) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (workspace_id, role) DO UPDATE
         SET title = EXCLUDED.title, questions = EXCLUDED.questions, updated_at = now()
       RETURNING (xmax = 0) AS created, updated_at`,
      [workspaceId, bank.role, bank.title, JSON.stringify(bank.questions)],
    );
    return { created: rows[0].created, updatedAt: new Date(rows[0].updated_at).toISOString() };
  }

  /** Deletes the role's bank; question_bank_not_found when there is none. */
  async delete(workspaceId: string, role: string): Promise<void> {
    // A CTE, so the driver answers rows (a bare DELETE … RETURNING answers [rows, count]).
    const rows: { deleted: number }[] = await this.db.query(
      `WITH gone AS (DELETE FROM question_banks WHERE workspace_id = $1 AND role = $2 RETURNING role)
       SELECT count(*)::int AS deleted FROM gone`,
      [workspaceId, role],
    );
    if (rows[0].deleted === 0) throw notFound(role);
  }
}

export const notFound = (role: string) =>
  new InterviewError('question_bank_not_found', `No question bank for role "${role}" in this workspace`);

function toBank(r: Record<string, unknown>): QuestionBank {
  return { role: String(r.role), title: String(r.title), questions: r.questions as QuestionBank['questions'] };
}
