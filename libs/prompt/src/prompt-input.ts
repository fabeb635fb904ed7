/** A piece of knowledge as the prompt shows it. */
export interface PromptKnowledge {
  id: string;
  score: number;
  kind: 'qa' | 'description' | 'fact';
  question?: string;
  answer?: string;
  head?: string;
  relation?: string;
  tail?: string;
  text?: string;
}

export interface PromptTurn {
  role: 'user' | 'persona';
  text: string;
  /** How relevant the turn is to the current utterance (history selection score); budgeting drops the lowest first. */
  relevance: number;
  /** QA knowledge injected just before this turn. */
  knowledge: PromptKnowledge[];
}

/** Everything a template needs for one reply. */
export interface PromptInput {
  persona: {
    name: string;
    profile: string;
    style: string;
    examples: { user: string; persona: string }[];
    grounding?: { emotion?: string; setting?: string; postResponse?: string };
  };
  userName: string;
  /** Background descriptions, shown as a prefix. */
  background: PromptKnowledge[];
  /** Kept history, in dialogue order. */
  history: PromptTurn[];
  /** The current user utterance and its knowledge. */
  current: { text: string; knowledge: PromptKnowledge[] };
}

/** One line of knowledge in Chinese prose, as GLM sees it in its pre-training data. */
export function knowledgeLine(k: PromptKnowledge): string {
  if (k.kind === 'qa') return `问：${k.question ?? ''}\n答：${k.answer ?? ''}`;
  if (k.kind === 'description') return `${k.head ?? ''}：${k.text ?? k.tail ?? ''}`;
  return `${k.head ?? ''}的${k.relation ?? ''}是${k.tail ?? ''}。`;
}
