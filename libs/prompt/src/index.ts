export {
  SPECIAL_TOKENS,
  REMOTE_CONTROL_SPELLINGS,
  text,
  special,
  segmentsToString,
  neutralizeSpecials,
} from './prompt-segments';
export type { PromptSegment, SpecialToken } from './prompt-segments';
export { encodePrompt, encodeLiteral, PromptTokenError } from './encode-prompt';
export type { PromptTokenizer } from './encode-prompt';
export { knowledgeLine } from './prompt-input';
export type { PromptInput, PromptTurn, PromptKnowledge } from './prompt-input';
export { glmBlankInfilling, glm4Chat, chatMessages } from './templates';
export type { PromptFormat, ChatMessage } from './templates';
export { fitToBudget } from './fit-to-budget';
