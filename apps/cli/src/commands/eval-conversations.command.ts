import type { Command } from 'commander';
import { evaluateConversations, formatFigures, type JudgedTurn, loadConversationScripts } from '@zhibing/dialogue';

function describe(turn: JudgedTurn): string {
  const expected = turn.expect === 'none' ? 'none' : turn.expect.join(' / ');
  return `✗ [${turn.conversationId}] ${turn.user}\n    expected ${expected}; got ${turn.case}${turn.grounded ? ` ${turn.grounded}` : ''} (score ${turn.score})\n    reply: ${turn.reply}\n    selected: ${turn.candidates.join('; ')}`;
}

export function registerEvalConversationsCommand(evaluation: Command): void {
  evaluation
    .command('conversations')
    .description('Runs scripted multi-turn conversations with the shipped personas through the dialogue pipeline')
    .option('--dir <folder>', 'folder of conversation scripts (*.yaml)', 'eval/conversations')
    .option('--personas <folder>', 'folder of persona files', 'persona')
    .option('--persona <id>', 'only the conversations with this persona')
    .option('--show <which>', 'print turns: failures | all | none', 'failures')
    .option('--json', 'print every judged turn as JSON lines instead of the table')
    .action(async (options: { dir: string; personas: string; persona?: string; show: string; json?: boolean }) => {
      const scripts = loadConversationScripts(options.dir).filter(
        (s) => !options.persona || s.personaId === options.persona,
      );
      const judged = await evaluateConversations({ personaDir: options.personas, scripts });
      if (options.json) {
        for (const turn of judged) process.stdout.write(`${JSON.stringify(turn)}\n`);
        return;
      }
      const shown =
        options.show === 'all'
          ? judged
          : options.show === 'none'
            ? []
            : judged.filter((t) => !t.right || t.verbatimRepeat);
      for (const turn of shown)
        process.stdout.write(
          `${turn.right && !turn.verbatimRepeat ? '✓' : ''}${turn.right && !turn.verbatimRepeat ? ` [${turn.conversationId}] ${turn.user} → ${turn.reply}` : describe(turn)}\n`,
        );
      process.stdout.write(`\n${scripts.length} conversations\n${formatFigures(judged)}\n`);
    });
}
