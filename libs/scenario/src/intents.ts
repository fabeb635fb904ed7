import type { Flow } from '@zhibing/protocol';

/** Full-width letters and digits as half-width (NFKC), lower case, no spaces: how keywords are compared. */
export const normalizeForIntent = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/**
 * The intents of `flow` whose keywords occur in `text`, in the flow's order. Keyword matching on
 * purpose: it is predictable for whoever writes the persona YAML, and needs no model.
 */
export function matchIntents(flow: Flow, text: string): string[] {
  const said = normalizeForIntent(text);
  if (!said) return [];
  return Object.entries(flow.intents)
    .filter(([, keywords]) => keywords.some((k) => said.includes(normalizeForIntent(k))))
    .map(([name]) => name);
}
