import type { ReplyAuthor, TurnView } from '@zhibing/protocol';
import type { Texts } from './i18n';

type Role = 'user' | 'persona' | 'notice' | 'handover';

/** The conversation as bubbles: messages, streamed replies, notices, and failures with a retry. */
export class ChatLog {
  /** Replies being streamed, by turn id. */
  private readonly streaming = new Map<string, HTMLElement>();

  constructor(
    private readonly log: HTMLElement,
    private readonly texts: Texts,
  ) {}

  get isEmpty(): boolean {
    return this.log.childElementCount === 0;
  }

  clear(): void {
    this.log.replaceChildren();
    this.streaming.clear();
  }

  bubble(role: Role, text: string): HTMLElement {
    const element = document.createElement('div');
    element.className = `msg ${role}`;
    element.textContent = text;
    this.log.appendChild(element);
    this.scroll();
    return element;
  }

  notice(text: string): void {
    this.bubble('notice', text);
  }

  /** A resumed conversation's turns, as they were shown. */
  showHistory(turns: TurnView[]): void {
    for (const turn of turns) {
      const element = this.bubble(turn.role, turn.text);
      this.showAuthor(element, turn.from);
      if (turn.status === 'interrupted' || turn.status === 'failed') element.classList.add('interrupted');
    }
  }

  /** The bubble of a reply being streamed (created on its first event). */
  reply(turnId: string): HTMLElement {
    let element = this.streaming.get(turnId);
    if (!element) {
      element = this.bubble('persona', '');
      element.setAttribute('data-turn', turnId);
      this.streaming.set(turnId, element);
    }
    return element;
  }

  appendDelta(turnId: string, text: string): void {
    this.reply(turnId).textContent += text;
    this.scroll();
  }

  /** The reply's final text; an interrupted or failed reply is marked so. */
  endReply(turnId: string, text: string, from: ReplyAuthor | undefined, interrupted: boolean): HTMLElement {
    const element = this.reply(turnId);
    element.textContent = text;
    this.showAuthor(element, from);
    if (interrupted) element.classList.add('interrupted');
    // An empty failed reply says nothing: the failure line under the message says it instead.
    if (!text && interrupted) element.remove();
    this.streaming.delete(turnId);
    this.scroll();
    return element;
  }

  /** After a message whose reply failed: what happened and a retry button (removed when clicked). */
  showFailure(message: string, retry: () => void): void {
    const row = document.createElement('div');
    row.className = 'failure';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'retry';
    button.textContent = this.texts.retry;
    button.addEventListener('click', () => {
      row.remove();
      retry();
    });
    row.append(message, button);
    this.log.appendChild(row);
    this.scroll();
  }

  /** A reply an operator wrote (take-over) says who wrote it. */
  private showAuthor(element: HTMLElement, from: ReplyAuthor | undefined): void {
    if (!from || from.kind !== 'operator') return;
    const author = document.createElement('span');
    author.className = 'author';
    author.textContent = from.name;
    element.classList.add('operator');
    element.prepend(author);
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
