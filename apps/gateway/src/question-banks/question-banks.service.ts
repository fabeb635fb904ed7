import { Injectable } from '@nestjs/common';
import { PersonaRepository } from '@zhibing/persona';
import { type QuestionBank, questionBankSchema, validate } from '@zhibing/protocol';
import { InterviewError, QuestionBankRepository } from '@zhibing/scenario';

/** A bank in the listing: stored in the workspace, or shipped in a persona's flow (used until one is stored). */
export interface QuestionBankListing {
  role: string;
  title: string;
  questionCount: number;
  source: 'stored' | 'persona';
  /** source persona: the persona whose flow ships it. */
  personaId?: string;
  updatedAt?: string;
}

/**
 * The workspace's interview question banks. A stored bank wins; a role with none stored shows the
 * bank a persona's flow ships with (read-only here: export it, edit it, PUT it to store it).
 */
@Injectable()
export class QuestionBanksService {
  constructor(
    private readonly stored: QuestionBankRepository,
    private readonly personas: PersonaRepository,
  ) {}

  async list(workspaceId: string): Promise<QuestionBankListing[]> {
    const stored = await this.stored.list(workspaceId);
    const roles = new Set(stored.map((b) => b.role));
    const shipped: QuestionBankListing[] = [];
    for (const { personaId, bank } of await this.personaBanks(workspaceId)) {
      if (roles.has(bank.role)) continue;
      roles.add(bank.role);
      shipped.push({
        role: bank.role,
        title: bank.title,
        questionCount: bank.questions.length,
        source: 'persona',
        personaId,
      });
    }
    return [...stored.map((b) => ({ ...b, source: 'stored' as const })), ...shipped].sort((a, b) =>
      a.role.localeCompare(b.role),
    );
  }

  /** The bank an interview for `role` uses now; question_bank_not_found when there is none. */
  async get(workspaceId: string, role: string): Promise<QuestionBank> {
    const bank =
      (await this.stored.find(workspaceId, role)) ??
      (await this.personaBanks(workspaceId)).find((b) => b.bank.role === role)?.bank;
    if (!bank) throw new InterviewError('question_bank_not_found', `No question bank for role "${role}"`);
    return bank;
  }

  /**
   * Validates and stores the bank for `role` (the body may leave `role` out; a different one is
   * question_bank_invalid). Nothing is stored when it is invalid.
   */
  async put(workspaceId: string, role: string, body: unknown) {
    const input = body && typeof body === 'object' && !Array.isArray(body) ? { role, ...body } : body;
    const bank = validate(questionBankSchema, input, 'question_bank_invalid');
    if (bank.role !== role)
      throw new InterviewError('question_bank_invalid', `The body's role "${bank.role}" is not the URL's "${role}"`, {
        issues: [{ path: 'role', message: `must be "${role}"` }],
      });
    const saved = await this.stored.put(workspaceId, bank);
    return { bank, ...saved };
  }

  delete(workspaceId: string, role: string): Promise<void> {
    return this.stored.delete(workspaceId, role);
  }

  private async personaBanks(workspaceId: string): Promise<{ personaId: string; bank: QuestionBank }[]> {
    const found: { personaId: string; bank: QuestionBank }[] = [];
    for (const { id } of await this.personas.list(workspaceId)) {
      const stored = await this.personas.get(workspaceId, id);
      for (const bank of stored?.persona.flow?.questionBanks ?? []) found.push({ personaId: id, bank });
    }
    return found;
  }
}
