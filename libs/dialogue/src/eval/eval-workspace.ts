import { KnowledgeService } from '@zhibing/knowledge';
import { loadPersonaFiles, PersonaRepository, syncPersonas } from '@zhibing/persona';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { DialogueService } from '../dialogue.service';
import { RetrievalResponder } from '../retrieval-responder';
import type { Responder } from '../responder.port';
import type { ScriptedConversation } from './conversation-script';
import { type JudgedTurn, runConversations } from './conversation-eval';

/**
 * Runs scripted conversations against the shipped personas in a throw-away embedded database
 * (or the one given): personas and their seed knowledge loaded as at a gateway's start, the
 * real dialogue pipeline, the retrieval responder unless another is given.
 */
export async function evaluateConversations(options: {
  personaDir: string;
  scripts: ScriptedConversation[];
  responder?: Responder;
  db?: DataSource;
}): Promise<JudgedTurn[]> {
  const db = options.db ?? (await openDatabase({ kind: 'pglite', dataDir: 'memory://' }));
  try {
    const knowledge = new KnowledgeService(db);
    const personas = new PersonaRepository(db);
    const workspaceId = await ensureWorkspace(db);
    await syncPersonas(workspaceId, loadPersonaFiles(options.personaDir), personas, knowledge);
    const dialogue = new DialogueService(db, knowledge, personas, options.responder ?? new RetrievalResponder());
    return await runConversations(dialogue, { workspaceId, channel: 'eval' }, options.scripts);
  } finally {
    if (!options.db) await closeDatabase(db);
  }
}
