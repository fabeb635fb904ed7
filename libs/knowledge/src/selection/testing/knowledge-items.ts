import type { KnowledgeItem } from '../../knowledge.types';

/** Knowledge items for selection specs, with ids that say what they are. */
export const fact = (
  head: string,
  relation: string,
  tail: string,
  id = `${head}|${relation}|${tail}`,
): KnowledgeItem => ({
  id,
  kind: 'fact',
  head,
  relation,
  tail,
});

export const description = (head: string, text: string): KnowledgeItem => ({
  id: `${head}|Information`,
  kind: 'description',
  head,
  relation: 'Information',
  tail: text,
  text,
});

export const qa = (id: string, question: string, answer: string): KnowledgeItem => ({
  id,
  kind: 'qa',
  question,
  answer,
});
