import * as readline from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { validate } from '@zhibing/protocol';
import { withKnowledge } from '../knowledge-context';

const dialogueLine = z.object({ id: z.union([z.string(), z.number()]), turns: z.array(z.string()).min(1) });

export function registerKnowledgeSelectCommand(knowledge: Command): void {
  knowledge
    .command('select')
    .description(
      'Select knowledge for dialogues: JSONL {"id","turns":[oldest…newest]} on stdin → JSONL {"id","knowledge":[…]} on stdout',
    )
    .requiredOption('--kb <name>', 'knowledge base name')
    .option('--top <k>', 'how many items per dialogue', '5')
    .option('--workspace <name>', 'workspace name', 'default')
    .option('--explain', "include each item's score parts")
    .action(async (options: { kb: string; top: string; workspace: string; explain?: boolean }) => {
      const top = Number.parseInt(options.top, 10);
      if (!Number.isInteger(top) || top < 1 || top > 100) throw new Error('--top must be a whole number from 1 to 100');
      await withKnowledge(options.workspace, async (service, workspaceId) => {
        const kb = await service.requireKnowledgeBase(workspaceId, options.kb);
        const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
        let number = 0;
        for await (const raw of lines) {
          number++;
          if (raw.trim() === '') continue;
          let dialogue: z.infer<typeof dialogueLine>;
          try {
            dialogue = validate(dialogueLine, JSON.parse(raw));
          } catch (error) {
            process.stderr.write(`line ${number}: ${(error as Error).message}\n`);
            process.exitCode = 3;
            continue;
          }
          const { items: ranked, degraded } = await service.select(kb.id, dialogue.turns, top);
          if (degraded) process.stderr.write(`warning: ${degraded}\n`);
          const knowledge = ranked.map(({ item, score, parts }) => ({
            id: item.id,
            kind: item.kind,
            ...(item.head !== undefined ? { head: item.head, relation: item.relation, tail: item.tail } : {}),
            ...(item.question !== undefined ? { question: item.question, answer: item.answer } : {}),
            ...(item.text !== undefined ? { text: item.text } : {}),
            score: Number(score.toFixed(6)),
            ...(options.explain ? { parts } : {}),
          }));
          process.stdout.write(`${JSON.stringify({ id: dialogue.id, knowledge })}\n`);
        }
      });
    });
}
