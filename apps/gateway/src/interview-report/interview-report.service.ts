import { Inject, Injectable } from '@nestjs/common';
import type { DialogueService } from '@zhibing/dialogue';
import { PersonaRepository } from '@zhibing/persona';
import type { InterviewReport } from '@zhibing/protocol';
import { InterviewError, interviewReport, QuestionBankRepository } from '@zhibing/scenario';
import { DIALOGUE } from '../chat/dialogue.provider';

/** The recruiter's report of a conversation's interview, computed from what is stored (nothing is cached). */
@Injectable()
export class InterviewReportService {
  constructor(
    @Inject(DIALOGUE) private readonly dialogue: DialogueService,
    private readonly personas: PersonaRepository,
    private readonly banks: QuestionBankRepository,
  ) {}

  /**
   * The report; conversation_not_found for an unknown conversation, interview_not_found when its
   * persona (at the version it talked with) has no questions phase or its scenario never started.
   */
  async report(workspaceId: string, conversationId: string): Promise<{ report: InterviewReport; locale: string }> {
    const conversation = await this.dialogue.conversations.require(workspaceId, conversationId);
    const { persona } = await this.personas.require(workspaceId, conversation.personaId, conversation.personaVersion);
    const flow = persona.flow;
    const questions = flow?.phases.find((p) => p.kind === 'questions');
    if (!flow || !questions || !conversation.scenario)
      throw new InterviewError('interview_not_found', `Conversation ${conversationId} has no interview`);
    const role = questions.role ?? '';
    const [turns, stored] = await Promise.all([
      this.dialogue.conversations.turns(conversation.id),
      this.banks.find(workspaceId, role),
    ]);
    const report = interviewReport({
      conversationId: conversation.id,
      personaId: conversation.personaId,
      locale: persona.locale,
      state: conversation.scenario,
      flow,
      bank: stored ?? flow.questionBanks?.find((b) => b.role === role),
      turns: turns.map((t) => ({ id: t.id, role: t.role, text: t.text, createdAt: t.createdAt, replyTo: t.replyTo })),
    });
    return { report, locale: persona.locale };
  }
}
