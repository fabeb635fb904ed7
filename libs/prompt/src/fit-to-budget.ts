import type { PromptInput } from './prompt-input';

/**
 * Shrinks a prompt input until `measure` says it fits `budget` tokens, dropping the least
 * relevant parts first: the lowest-scored knowledge, then the least relevant history turns,
 * then background, then examples. The current utterance and persona profile always stay.
 * Returns the fitted input and what was dropped (for the trace).
 */
export function fitToBudget(
  input: PromptInput,
  budget: number,
  measure: (input: PromptInput) => number,
): { input: PromptInput; dropped: string[] } {
  const fitted: PromptInput = {
    ...input,
    persona: { ...input.persona, examples: [...input.persona.examples] },
    background: [...input.background],
    history: input.history.map((t) => ({ ...t, knowledge: [...t.knowledge] })),
    current: { ...input.current, knowledge: [...input.current.knowledge] },
  };
  const dropped: string[] = [];
  while (measure(fitted) > budget) {
    if (!dropOne(fitted, dropped)) break;
  }
  return { input: fitted, dropped };
}

function dropOne(input: PromptInput, dropped: string[]): boolean {
  // Knowledge of history turns and of the current turn, lowest score first.
  const knowledge = [
    ...input.history.flatMap((turn) => turn.knowledge.map((k) => ({ k, list: turn.knowledge }))),
    ...input.current.knowledge.map((k) => ({ k, list: input.current.knowledge })),
  ].sort((a, b) => a.k.score - b.k.score);
  if (knowledge.length > input.current.knowledge.length) {
    const weakest = knowledge.find((entry) => entry.list !== input.current.knowledge) ?? knowledge[0];
    weakest.list.splice(weakest.list.indexOf(weakest.k), 1);
    dropped.push(`knowledge:${weakest.k.id}`);
    return true;
  }
  if (input.history.length > 0) {
    const least = input.history.reduce((min, t) => (t.relevance < min.relevance ? t : min));
    input.history.splice(input.history.indexOf(least), 1);
    dropped.push('history-turn');
    return true;
  }
  if (input.background.length > 0) {
    const weakest = input.background.reduce((min, k) => (k.score < min.score ? k : min));
    input.background.splice(input.background.indexOf(weakest), 1);
    dropped.push(`background:${weakest.id}`);
    return true;
  }
  if (input.persona.examples.length > 0) {
    input.persona.examples.pop();
    dropped.push('example');
    return true;
  }
  if (knowledge.length > 0) {
    input.current.knowledge.splice(input.current.knowledge.indexOf(knowledge[0].k), 1);
    dropped.push(`knowledge:${knowledge[0].k.id}`);
    return true;
  }
  return false;
}
