import * as fs from 'node:fs';
import * as path from 'node:path';
import { validate, ZhibingError } from '@zhibing/protocol';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * `qa:<question>`, `fact:<head>|<relation>` or `desc:<entity>`: one piece of knowledge, by content;
 * or `scenario:<phase>`: a reply the persona's scenario said in that phase (a front desk's opening
 * hours, a registration's question) instead of answering from knowledge.
 */
const knowledgeLabel = z
  .string()
  .regex(
    /^(qa:.+|fact:.+\|.+|desc:.+|scenario:.+)$/,
    'qa:<question>, fact:<head>|<relation>, desc:<entity> or scenario:<phase>',
  );

const scriptedTurnSchema = z
  .object({
    user: z.string().trim().min(1),
    /** The knowledge that answers this turn (any one of them counts), or `none`. */
    expect: z.union([z.literal('none'), z.array(knowledgeLabel).min(1)]),
    tags: z.array(z.enum(['switch', 'pronoun', 'chitchat', 'repeat', 'answer'])).default([]),
  })
  .strict();

const conversationSchema = z
  .object({
    id: z.string().min(1),
    persona: z.string().optional(),
    turns: z.array(scriptedTurnSchema).min(1),
  })
  .strict();

export const conversationScriptSchema = z
  .object({
    persona: z.string().min(1),
    conversations: z.array(conversationSchema).min(1),
  })
  .strict();

export type ScriptedTurn = z.infer<typeof scriptedTurnSchema>;
export interface ScriptedConversation {
  id: string;
  personaId: string;
  turns: ScriptedTurn[];
}

/** Reads every `*.yaml` script in a folder: conversations with their labelled user turns. */
export function loadConversationScripts(folder: string): ScriptedConversation[] {
  return fs
    .readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .flatMap((name) => {
      const file = path.join(folder, name);
      let script: z.infer<typeof conversationScriptSchema>;
      try {
        script = validate(conversationScriptSchema, parse(fs.readFileSync(file, 'utf8')), 'eval_script_invalid');
      } catch (error) {
        throw new ZhibingError('eval_script_invalid', `${file}: ${(error as Error).message}`);
      }
      return script.conversations.map((c) => ({ id: c.id, personaId: c.persona ?? script.persona, turns: c.turns }));
    });
}
