import type { Persona } from '@zhibing/protocol';

export interface PersonaSummary {
  id: string;
  name: string;
  version: number;
  scenario: string;
  /** Public path of the persona's avatar image (absent: none). */
  avatarUrl?: string;
}

export interface StoredPersona {
  persona: Persona;
  version: number;
  createdAt: string;
  avatarUrl?: string;
}

export interface PersonaVersion {
  version: number;
  createdAt: string;
}

export interface TurnRecord {
  id: string;
  seq: number;
  role: 'user' | 'persona';
  text: string;
  status: string;
  trace: Record<string, unknown> | null;
  createdAt: string;
  review?: TurnReview | null;
}

/** A reviewer's verdict on one reply, as `GET /v1/conversations/:id` shows it on each turn. */
export interface TurnReview {
  thumb: 'up' | 'down' | null;
  stars: number | null;
  note: string;
}

export interface ConversationWithTurns {
  id: string;
  personaId: string;
  personaVersion: number;
  visitorId: string | null;
  channel: string;
  createdAt: string;
  turns: TurnRecord[];
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  uptimeSeconds: number;
  database: {
    kind: string;
    reachable: boolean;
    latencyMs?: number;
    migrations?: { applied: number; pending: string[] };
    error?: string;
  };
  components: Record<string, { status?: string; kind?: string; note?: string; [k: string]: unknown }>;
}

export interface ConversationSummary {
  id: string;
  personaId: string;
  personaVersion: number;
  visitorId: string | null;
  /** The name the visitor gave at session.start (what `{{user}}` became). */
  visitorName?: string | null;
  channel: string;
  status?: string;
  createdAt: string;
  turns: number;
}
