/** What survives a reload: the conversation to resume and the visitor's id, per persona. */
export interface SavedSession {
  conversationId?: string;
  visitorId: string;
}

export function randomId(): string {
  if (window.crypto?.randomUUID) return window.crypto.randomUUID();
  return `v${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

export class SessionStore {
  private readonly key: string;

  constructor(persona: string) {
    this.key = `zhibing:${persona}`;
  }

  read(): SavedSession {
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || '{}') as Partial<SavedSession>;
      return { conversationId: saved.conversationId, visitorId: saved.visitorId || randomId() };
    } catch {
      // Storage blocked (private mode, sandboxed frame): a fresh visitor, not a broken widget.
      return { visitorId: randomId() };
    }
  }

  write(session: SavedSession): void {
    try {
      localStorage.setItem(this.key, JSON.stringify(session));
    } catch {
      // Storage blocked: the conversation is simply not resumed after a reload.
    }
  }
}
