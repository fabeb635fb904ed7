import type { Command } from 'commander';
import { registerEvalCalibrateCommand } from './eval-calibrate.command';
import { registerEvalConversationsCommand } from './eval-conversations.command';

export function registerEvalCommand(program: Command): void {
  const evaluation = program.command('eval').description('Evaluations of what a person meets over whole conversations');
  registerEvalConversationsCommand(evaluation);
  registerEvalCalibrateCommand(evaluation);
}
