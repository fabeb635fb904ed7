import type { ScenarioView } from '@zhibing/protocol';
import { Countdown } from './countdown';
import type { Texts } from './i18n';
import { ScenarioFormView } from './scenario-form';

export interface ScenarioActions {
  /** A suggestion's text, sent as the visitor's message. */
  say(text: string): void;
  end(): void;
  submitForm(phase: string, values: Record<string, string>): void;
  newConversation(): void;
}

/**
 * The scenario's bar above the conversation: phase title, countdown to `endsAt`, waiting for a
 * person, suggestions as buttons, the end button, a registration form, and "ended" with a new
 * conversation. Rendered from each `ScenarioView` the server sends (it holds no state of its own).
 */
export class ScenarioPanel {
  private readonly countdown: Countdown;
  private readonly countdownElement: HTMLElement;
  private formView?: ScenarioFormView;
  private view?: ScenarioView;

  constructor(
    private readonly element: HTMLElement,
    private readonly texts: Texts,
    private readonly actions: ScenarioActions,
  ) {
    this.countdownElement = document.createElement('span');
    this.countdownElement.className = 'countdown';
    this.countdownElement.setAttribute('aria-label', texts.timeLeft);
    this.countdown = new Countdown(this.countdownElement);
  }

  get current(): ScenarioView | undefined {
    return this.view;
  }

  get form(): ScenarioFormView | undefined {
    return this.formView;
  }

  render(view: ScenarioView | undefined): void {
    this.view = view;
    this.countdown.stop();
    if (!view) {
      this.formView = undefined;
      this.element.replaceChildren();
      this.element.classList.remove('shown');
      return;
    }
    const top = div('top');
    if (view.title) top.append(div('phase', view.title));
    if (view.endsAt && !view.ended) {
      top.append(this.countdownElement);
      this.countdown.start(view.endsAt);
    }
    if (view.endButton && !view.ended) top.append(button('end', view.endButton, () => this.actions.end()));
    const parts: HTMLElement[] = [top];
    if (view.waitingForOperator && !view.ended) parts.push(div('waiting', this.texts.waitingForOperator));
    if (!view.ended && view.suggestions.length > 0) {
      const suggestions = div('suggestions');
      for (const text of view.suggestions) suggestions.append(button('suggestion', text, () => this.actions.say(text)));
      parts.push(suggestions);
    }
    parts.push(...this.formPart(view));
    if (view.ended) {
      const ended = div('ended', this.texts.scenarioEnded);
      ended.append(
        ' ',
        button('restart', this.texts.newConversation, () => this.actions.newConversation()),
      );
      parts.push(ended);
    }
    this.element.replaceChildren(...parts);
    this.element.classList.toggle('shown', parts.length > 1 || top.childElementCount > 0);
  }

  private formPart(view: ScenarioView): HTMLElement[] {
    if (!view.form || view.ended) {
      this.formView = undefined;
      return [];
    }
    if (this.formView?.matches(view.form)) this.formView.update(view.form);
    else this.formView = new ScenarioFormView(view.form, view.title, this.texts, this.actions.submitForm);
    return [this.formView.element];
  }
}

function div(className: string, text?: string): HTMLElement {
  const element = document.createElement('div');
  element.className = className;
  if (text) element.textContent = text;
  return element;
}

function button(className: string, text: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}
