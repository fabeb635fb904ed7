import type { Provider } from '@nestjs/common';
import { DialogueService, type Responder, TakeoverService } from '@zhibing/dialogue';
import { KnowledgeService } from '@zhibing/knowledge';
import { PersonaRepository } from '@zhibing/persona';
import { QuestionBankRepository } from '@zhibing/scenario';
import { DataSource } from 'typeorm';
import { RESPONDER } from '../engine/engine.module';

export const DIALOGUE = Symbol('ZHIBING_DIALOGUE');
export const TAKEOVER = Symbol('ZHIBING_TAKEOVER');

export const personaRepositoryProvider: Provider = {
  provide: PersonaRepository,
  inject: [DataSource],
  useFactory: (db: DataSource) => new PersonaRepository(db),
};

export const dialogueProvider: Provider = {
  provide: DIALOGUE,
  inject: [DataSource, KnowledgeService, PersonaRepository, RESPONDER],
  useFactory: (db: DataSource, knowledge: KnowledgeService, personas: PersonaRepository, responder: Responder) => {
    // Interviews read the workspace's stored question banks first (then the persona's own).
    const banks = new QuestionBankRepository(db);
    return new DialogueService(db, knowledge, personas, responder, {
      questionBanks: (workspaceId, role) => banks.find(workspaceId, role),
    });
  },
};

export const takeoverProvider: Provider = {
  provide: TAKEOVER,
  inject: [DataSource, DIALOGUE],
  useFactory: (db: DataSource, dialogue: DialogueService) => new TakeoverService(db, dialogue),
};
