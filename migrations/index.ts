import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';
import { KnowledgeSearch1763900000000 } from './1763900000000-KnowledgeSearch';
import { ReplyHeartbeat1764000000000 } from './1764000000000-ReplyHeartbeat';
import { TurnHistoryFeatures1764100000000 } from './1764100000000-TurnHistoryFeatures';
import { KnowledgeChanges1764200000000 } from './1764200000000-KnowledgeChanges';
import { ManyGateways1764300000000 } from './1764300000000-ManyGateways';
import { TurnReviews1764400000000 } from './1764400000000-TurnReviews';
import { PersonaAvatars1764500000000 } from './1764500000000-PersonaAvatars';
import { ConversationTakeover1764600000000 } from './1764600000000-ConversationTakeover';
import { ScenarioState1764700000000 } from './1764700000000-ScenarioState';
import { QuestionBanks1764800000000 } from './1764800000000-QuestionBanks';
import { VisitorName1764900000000 } from './1764900000000-VisitorName';

/** Every migration, oldest first. Add one line per new migration file; never edit a landed one. */
export const migrations = [
  InitialSchema1763800000000,
  KnowledgeSearch1763900000000,
  ReplyHeartbeat1764000000000,
  TurnHistoryFeatures1764100000000,
  KnowledgeChanges1764200000000,
  ManyGateways1764300000000,
  TurnReviews1764400000000,
  PersonaAvatars1764500000000,
  ConversationTakeover1764600000000,
  ScenarioState1764700000000,
  QuestionBanks1764800000000,
  VisitorName1764900000000,
];
