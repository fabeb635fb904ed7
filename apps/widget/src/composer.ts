import type { Texts } from './i18n';

/**
 * The message box and its button, which is a stop button while a reply streams or is read aloud.
 * Enter sends (Shift+Enter: a new line; not while an input method is composing).
 */
export class Composer {
  private stopping = false;

  constructor(
    form: HTMLFormElement,
    private readonly input: HTMLTextAreaElement,
    private readonly button: HTMLButtonElement,
    private readonly texts: Texts,
    handlers: { send(text: string): void; stop(): void },
  ) {
    const submit = () => {
      const text = input.value.trim();
      if (text) {
        input.value = '';
        handlers.send(text);
      } else if (this.stopping) handlers.stop();
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.stopping) handlers.stop();
      else submit();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
  }

  /** Stop mode: the button stops the reply (or the voice) instead of sending. */
  showStop(stop: boolean): void {
    this.stopping = stop;
    this.button.classList.toggle('stop', stop);
    this.button.classList.toggle('send', !stop);
    this.button.textContent = stop ? '■' : '➤';
    this.button.setAttribute('aria-label', stop ? this.texts.stop : this.texts.send);
    this.button.title = stop ? this.texts.stop : this.texts.send;
  }

  focus(): void {
    this.input.focus();
  }
}
