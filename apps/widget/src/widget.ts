import type { ServerEvents, SessionStarted } from '@zhibing/protocol';
import { AvatarView } from './avatar-view';
import { ChatLog } from './chat-log';
import { ChatSocket } from './chat-socket';
import { Composer } from './composer';
import type { WidgetConfig } from './config';
import { errorText, textsFor, type Texts } from './i18n';
import { mountWidget, type WidgetElements } from './markup';
import { isRetryable } from './retryable';
import { randomId, SessionStore } from './saved-session';
import { ScenarioPanel } from './scenario-panel';
import { Voice } from './voice';

/** A message sent in this page, kept until its reply completes so a failure can be retried as is. */
interface SentMessage {
  clientMessageId: string;
  text: string;
  turnId?: string;
}

/**
 * The widget: a launcher and a chat panel talking to the gateway's /chat namespace. Resumes the
 * conversation after a reload, streams replies (stoppable), retries a failed reply with the same
 * clientMessageId, reads replies aloud when asked, and shows the persona's scenario.
 */
export class ChatWidget {
  private readonly texts: Texts;
  private readonly ui: WidgetElements;
  private readonly log: ChatLog;
  private readonly avatar: AvatarView;
  private readonly voice: Voice;
  private readonly composer: Composer;
  private readonly scenario: ScenarioPanel;
  private readonly store: SessionStore;
  private readonly socket: ChatSocket;
  private conversationId?: string;
  private readonly visitorId: string;
  private readonly sent = new Map<string, SentMessage>();
  /** Reply turn → the user turn it answers (a failed reply's retry resends that message). */
  private readonly replyTo = new Map<string, string>();
  /** User turns whose reply failed before their message's ack arrived (the retry is offered on the ack). */
  private readonly failedBeforeAck = new Set<string>();
  /** The persona's reply being streamed (what the stop button cancels). */
  private streamingTurn?: string;
  private connected = false;
  /** The server could not be reached and the visitor was told (until the next connection). */
  private toldUnreachable = false;

  constructor(private readonly config: WidgetConfig) {
    this.texts = textsFor(config.lang);
    this.ui = mountWidget(config, this.texts);
    this.log = new ChatLog(this.ui.log, this.texts);
    this.avatar = new AvatarView(this.ui.avatar, this.ui.status, this.ui.emotion, this.texts);
    this.voice = new Voice(config.voice, config.lang === 'en' ? 'en-US' : 'zh-CN', (speaking) => {
      this.avatar.set(speaking ? 'speaking' : 'listening');
      this.updateStop();
    });
    this.composer = new Composer(this.ui.composer, this.ui.input, this.ui.send, this.texts, {
      send: (text) => this.send(text),
      stop: () => this.stop(),
    });
    this.scenario = new ScenarioPanel(this.ui.scenario, this.texts, {
      say: (text) => this.send(text),
      end: () => this.scenarioAction({ action: 'end' }),
      submitForm: (phase, values) => this.scenarioAction({ action: 'form', phase, values }),
      newConversation: () => this.newConversation(),
    });
    this.store = new SessionStore(config.persona);
    const saved = this.store.read();
    this.conversationId = saved.conversationId;
    this.visitorId = saved.visitorId;
    this.socket = new ChatSocket(config.server, config.key);
    this.listen();
    this.wireHeader();
    if (config.open) this.setOpen(true);
  }

  setOpen(open: boolean): void {
    this.ui.panel.classList.toggle('open', open);
    this.ui.launcher.classList.toggle('hidden', open);
    if (open && !this.connected) {
      this.connected = true;
      this.socket.connect();
    }
    if (open) this.composer.focus();
  }

  private wireHeader(): void {
    this.ui.launcher.addEventListener('click', () => this.setOpen(!this.ui.panel.classList.contains('open')));
    this.ui.close.addEventListener('click', () => this.setOpen(false));
    this.ui.newConversation.addEventListener('click', () => this.newConversation());
    this.ui.voice.hidden = !Voice.available();
    this.showVoiceToggle();
    this.ui.voice.addEventListener('click', () => {
      this.voice.enabled = !this.voice.enabled;
      if (!this.voice.enabled) this.voice.stop();
      this.showVoiceToggle();
    });
  }

  private showVoiceToggle(): void {
    const label = this.voice.enabled ? this.texts.voiceOff : this.texts.voiceOn;
    this.ui.voice.setAttribute('aria-pressed', String(this.voice.enabled));
    this.ui.voice.setAttribute('aria-label', label);
    this.ui.voice.title = label;
  }

  private listen(): void {
    this.socket.onConnection({
      connect: () => {
        this.toldUnreachable = false;
        void this.startSession();
      },
      disconnect: () => this.avatar.showStatus(this.texts.connecting),
      failed: () => {
        this.avatar.showStatus(this.texts.connecting);
        // socket.io keeps retrying on its own: the visitor is told once, not at every attempt.
        if (!this.toldUnreachable) this.log.notice(errorText(this.texts, 'connection_failed'));
        this.toldUnreachable = true;
      },
    });
    const mine = (event: { conversationId: string }) => event.conversationId === this.conversationId;
    this.socket.on('reply.start', (event) => {
      if (!mine(event) || event.from) return;
      this.log.reply(event.turnId);
      if (event.replyTo) this.replyTo.set(event.turnId, event.replyTo);
      this.streamingTurn = event.turnId;
      this.updateStop();
    });
    this.socket.on('reply.delta', (event) => {
      if (mine(event)) this.log.appendDelta(event.turnId, event.text);
    });
    this.socket.on('reply.end', (event) => this.replyEnded(event));
    this.socket.on('avatar.state', (event) => {
      if (!mine(event)) return;
      // Read aloud, the avatar speaks while the audio plays, not while the text streams.
      if (this.voice.enabled && event.state === 'speaking') this.avatar.set('thinking', event.emotion);
      else if (!(this.voice.isSpeaking && event.state === 'listening')) this.avatar.set(event.state, event.emotion);
    });
    this.socket.on('conversation.takeover', (event) => {
      if (!mine(event)) return;
      this.log.bubble('handover', this.texts.operatorJoined(event.operatorName));
      this.showOperator(event.operatorName);
    });
    this.socket.on('conversation.handback', (event) => {
      if (!mine(event)) return;
      this.log.bubble('handover', this.texts.operatorLeft);
      this.showOperator(undefined);
    });
    this.socket.on('scenario.state', (event) => {
      if (mine(event)) this.scenario.render(event.scenario);
    });
    this.socket.on('error', (event) => {
      // Errors answering a request are shown by whoever asked; a failed reply shows under its message.
      if (this.socket.pending > 0 || event.code === 'reply_failed') return;
      this.log.notice(errorText(this.texts, event.code));
    });
  }

  private async startSession(fresh = false): Promise<void> {
    this.avatar.showStatus(this.texts.connecting);
    const resume = fresh ? undefined : this.conversationId;
    const outcome = await this.socket.request('session.start', {
      personaId: this.config.persona,
      visitorId: this.visitorId,
      ...(resume ? { conversationId: resume } : {}),
      ...(this.config.visitorName ? { visitorName: this.config.visitorName } : {}),
    });
    if (!outcome.ok) {
      // The saved conversation is gone (deleted, another workspace): start a new one instead.
      if (outcome.error.code === 'conversation_not_found' && resume) return this.startSession(true);
      this.log.notice(errorText(this.texts, outcome.error.code));
      return;
    }
    this.showSession(outcome.data, resume);
  }

  private showSession(session: SessionStarted, resumed: string | undefined): void {
    const changed = session.conversationId !== resumed;
    this.conversationId = session.conversationId;
    this.store.write({ conversationId: this.conversationId, visitorId: this.visitorId });
    this.ui.name.setAttribute('data-persona-name', session.persona.name);
    if (session.avatarUrl)
      this.avatar.showImage(new URL(session.avatarUrl, this.config.server).href, session.persona.name);
    this.avatar.set(this.avatar.current);
    // A reconnect to the same conversation keeps what is on screen (and replies streaming into it),
    // unless the reply it was streaming ended while the connection was down: then the stored turns win.
    const streaming = this.streamingTurn;
    const missedEnd = streaming && !session.history.some((t) => t.id === streaming && t.status === 'streaming');
    if (changed || this.log.isEmpty || missedEnd) {
      this.streamingTurn = undefined;
      this.updateStop();
      this.log.clear();
      // The greeting is no stored turn: shown first on a resumed conversation too (a scenario's first question).
      if (session.greeting) this.log.bubble('persona', session.greeting);
      this.log.showHistory(session.history);
    }
    this.showOperator(session.operator?.name);
    this.scenario.render(session.scenario);
  }

  private showOperator(name: string | undefined): void {
    this.ui.name.textContent = name ? this.texts.operatorAnswering(name) : this.config.title || this.personaName();
  }

  private personaName(): string {
    return this.ui.name.getAttribute('data-persona-name') ?? this.config.persona;
  }

  /** Sends a new message, or (with `retry`) the same message again under the same clientMessageId. */
  private async send(text: string, retry?: SentMessage): Promise<void> {
    if (!this.conversationId) {
      this.log.notice(errorText(this.texts, 'session_required'));
      return;
    }
    const message = retry ?? { clientMessageId: randomId(), text };
    if (!retry) this.log.bubble('user', text);
    this.sent.set(message.clientMessageId, message);
    const outcome = await this.socket.request('message', {
      conversationId: this.conversationId,
      clientMessageId: message.clientMessageId,
      text: message.text,
    });
    if (!outcome.ok) return this.offerRetry(message, outcome.error.code);
    message.turnId = outcome.data.turnId;
    if (this.failedBeforeAck.delete(message.turnId)) this.offerRetry(message, 'reply_failed');
  }

  private offerRetry(message: SentMessage, code: string): void {
    if (!isRetryable(code)) return this.log.notice(errorText(this.texts, code));
    this.log.showFailure(errorText(this.texts, code), () => void this.send(message.text, message));
  }

  private replyEnded(event: ServerEvents['reply.end']): void {
    if (event.conversationId !== this.conversationId) return;
    const failed = event.finishReason === 'error';
    this.log.endReply(
      event.turnId,
      event.text,
      event.from,
      failed || event.finishReason === 'interrupted' || event.finishReason === 'cancelled',
    );
    if (this.streamingTurn === event.turnId) this.streamingTurn = undefined;
    const userTurn = this.replyTo.get(event.turnId);
    this.replyTo.delete(event.turnId);
    const message = [...this.sent.values()].find((m) => m.turnId !== undefined && m.turnId === userTurn);
    if (failed && message) this.offerRetry(message, 'reply_failed');
    else if (failed && userTurn) this.failedBeforeAck.add(userTurn);
    else if (message) this.sent.delete(message.clientMessageId);
    if (!failed && event.finishReason !== 'cancelled' && !event.from) this.voice.speak(event.text);
    this.updateStop();
  }

  /** The stop button: the reply being written is cancelled (its text so far is kept) and the voice stops. */
  private stop(): void {
    this.voice.stop();
    const turnId = this.streamingTurn;
    if (turnId) void this.socket.request('reply.cancel', { turnId });
    this.updateStop();
  }

  private updateStop(): void {
    this.composer.showStop(this.streamingTurn !== undefined || this.voice.isSpeaking);
  }

  private async scenarioAction(
    action: { action: 'end' } | { action: 'form'; phase: string; values: Record<string, string> },
  ): Promise<void> {
    if (!this.conversationId) return;
    const outcome = await this.socket.request('scenario.action', { conversationId: this.conversationId, ...action });
    if (outcome.ok) return;
    const form = this.scenario.form;
    if (action.action === 'form' && form)
      form.showError(errorText(this.texts, outcome.error.code), fieldsOf(outcome.error.details));
    else this.log.notice(errorText(this.texts, outcome.error.code));
  }

  /** Leaves the current conversation (it stays stored) and starts a new one with the same persona. */
  private newConversation(): void {
    this.stop();
    this.streamingTurn = undefined;
    this.sent.clear();
    this.replyTo.clear();
    this.failedBeforeAck.clear();
    this.log.clear();
    this.scenario.render(undefined);
    this.conversationId = undefined;
    this.store.write({ visitorId: this.visitorId });
    // Offline, the session starts on reconnect (a second start now would make two conversations).
    if (this.socket.connected) void this.startSession(true);
  }
}

/** The fields a typed error names (`details.fields`, e.g. the front desk's form_invalid). */
function fieldsOf(details: Record<string, unknown> | undefined): string[] {
  const fields = details?.fields;
  return Array.isArray(fields) ? fields.filter((name): name is string => typeof name === 'string') : [];
}
