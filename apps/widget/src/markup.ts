import type { WidgetConfig } from './config';
import type { Texts } from './i18n';
import { STYLES } from './styles';

/** The elements the widget's parts write to. */
export interface WidgetElements {
  host: HTMLElement;
  launcher: HTMLButtonElement;
  panel: HTMLElement;
  avatar: HTMLElement;
  name: HTMLElement;
  /** The avatar's state in words ("thinking…"), or the connection's. */
  status: HTMLElement;
  emotion: HTMLElement;
  voice: HTMLButtonElement;
  newConversation: HTMLButtonElement;
  close: HTMLButtonElement;
  scenario: HTMLElement;
  log: HTMLElement;
  composer: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
}

/** A drawn face, shown until (or instead of) the persona's own image. */
const FACE =
  '<svg class="face" viewBox="0 0 40 40" aria-hidden="true">' +
  '<circle cx="20" cy="20" r="20" fill="#ffe2c6"/>' +
  '<path d="M4 16 Q20 -4 36 16 Q30 8 20 9 Q10 8 4 16Z" fill="#3b2a22"/>' +
  '<g fill="#3b2a22"><circle cx="14" cy="19" r="2"/><circle cx="26" cy="19" r="2"/></g>' +
  '<ellipse class="mouth" cx="20" cy="28" rx="4" ry="2" fill="#c0504d"/></svg>';

const SPEAKER_ICON =
  '<svg viewBox="0 0 24 24" width="16" height="16" fill="currentColor" aria-hidden="true"><path d="M3 9v6h4l5 ' +
  '4V5L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"/>' +
  '</svg>';

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" width="26" height="26" fill="#fff" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 ' +
  '2v9a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Mounts the launcher and the panel in a shadow root at the end of <body>. */
export function mountWidget(config: WidgetConfig, texts: Texts): WidgetElements {
  const host = element('div', { 'data-zhibing-widget': config.persona, 'data-position': config.position });
  host.style.setProperty('--zb-color', config.color);
  const root = host.attachShadow({ mode: 'open' });
  const style = element('style', {}, [STYLES]);

  const avatar = element('div', { class: 'avatar', 'data-state': 'listening' }, [
    element('span', { class: 'dots' }, ['…']),
  ]);
  avatar.insertAdjacentHTML('afterbegin', FACE);
  const name = element('div', { class: 'name' }, [config.title || config.persona]);
  const emotion = element('span', { class: 'emotion' });
  const status = element('span', { class: 'state' }, [texts.connecting]);
  const voice = element('button', { class: 'voice', type: 'button', 'aria-pressed': String(config.voice) });
  voice.insertAdjacentHTML('afterbegin', SPEAKER_ICON);
  const newConversation = element('button', { class: 'new', type: 'button' }, [texts.newConversation]);
  const close = element('button', { class: 'close', type: 'button', 'aria-label': texts.close, title: texts.close }, [
    '×',
  ]);
  const header = element('header', {}, [
    avatar,
    element('div', { class: 'who' }, [name, element('div', { class: 'status' }, [status, emotion])]),
    voice,
    newConversation,
    close,
  ]);
  const scenario = element('section', { class: 'scenario', 'aria-live': 'polite' });
  const log = element('div', { class: 'log', 'aria-live': 'polite' });
  const input = element('textarea', { rows: '1', maxlength: '4000', placeholder: texts.placeholder });
  const send = element('button', { class: 'send', type: 'submit', 'aria-label': texts.send }, ['➤']);
  const composer = element('form', { class: 'composer' }, [input, send]);
  const panel = element('section', { class: 'panel', role: 'dialog', 'aria-label': texts.openChat }, [
    header,
    scenario,
    log,
    composer,
  ]);
  const launcher = element('button', { class: 'launcher', part: 'launcher', 'aria-label': texts.openChat });
  launcher.insertAdjacentHTML('afterbegin', CHAT_ICON);
  root.append(style, panel, launcher);
  document.body.appendChild(host);
  return {
    host,
    launcher,
    panel,
    avatar,
    name,
    status,
    emotion,
    voice,
    newConversation,
    close,
    scenario,
    log,
    composer,
    input,
    send,
  };
}
