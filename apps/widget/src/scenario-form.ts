import type { ScenarioForm } from '@zhibing/protocol';
import type { Texts } from './i18n';

/** Input types per slot type: the browser's own keyboard and checks where it has them. */
const INPUT_TYPES: Record<ScenarioForm['fields'][number]['type'], string> = {
  text: 'text',
  name: 'text',
  phone: 'tel',
  email: 'email',
  date: 'date',
  time: 'time',
  number: 'number',
};

/**
 * A scenario's registration form. Kept across state updates of the same phase, so what the visitor
 * typed survives; a typed error from the server shows beside the fields and marks the ones it names.
 */
export class ScenarioFormView {
  readonly element: HTMLFormElement;
  private readonly error: HTMLElement;
  private readonly inputs = new Map<string, HTMLInputElement>();

  constructor(
    readonly form: ScenarioForm,
    phaseTitle: string | undefined,
    texts: Texts,
    submit: (phase: string, values: Record<string, string>) => void,
  ) {
    this.element = document.createElement('form');
    this.element.className = 'scenario-form';
    this.element.noValidate = true;
    // The phase's title above says it already: the form's own title only when it says something else.
    if (form.title && form.title !== phaseTitle) {
      const title = document.createElement('div');
      title.className = 'form-title';
      title.textContent = form.title;
      this.element.append(title);
    }
    const fields = document.createElement('div');
    fields.className = 'fields';
    for (const field of form.fields) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.name = field.name;
      input.type = INPUT_TYPES[field.type] ?? 'text';
      input.required = field.required;
      input.value = field.value ?? '';
      label.append(field.required ? `${field.label} *` : field.label, input);
      input.setAttribute('aria-label', field.label);
      this.inputs.set(field.name, input);
      fields.append(label);
    }
    this.element.append(fields);
    this.error = document.createElement('div');
    this.error.className = 'form-error';
    this.error.setAttribute('role', 'alert');
    const button = document.createElement('button');
    button.type = 'submit';
    button.textContent = texts.submitForm;
    this.element.append(this.error, button);
    this.element.addEventListener('submit', (event) => {
      event.preventDefault();
      const missing = form.fields.filter((field) => field.required && !this.inputs.get(field.name)?.value.trim());
      if (missing.length > 0) {
        const [labels, names] = [missing.map((field) => field.label), missing.map((field) => field.name)];
        this.showError(texts.missing(labels), names);
        return;
      }
      this.showError('', []);
      submit(form.phase, this.values());
    });
  }

  /** Same phase and fields: the form on screen can stay (and keep what was typed). */
  matches(form: ScenarioForm): boolean {
    return (
      form.phase === this.form.phase &&
      form.fields.length === this.inputs.size &&
      form.fields.every((field) => this.inputs.has(field.name))
    );
  }

  /** Values filled since (through dialogue) appear, unless the visitor is typing in that field. */
  update(form: ScenarioForm): void {
    for (const field of form.fields) {
      const input = this.inputs.get(field.name);
      const focused = (input?.getRootNode() as Document | ShadowRoot | undefined)?.activeElement === input;
      if (input && field.value !== undefined && !focused) input.value = field.value;
    }
  }

  values(): Record<string, string> {
    return Object.fromEntries([...this.inputs].map(([name, input]) => [name, input.value.trim()]));
  }

  /** `message`: already in the widget's language; `fields`: the ones to mark invalid. */
  showError(message: string, fields: string[]): void {
    this.error.textContent = message;
    for (const [name, input] of this.inputs) input.setAttribute('aria-invalid', String(fields.includes(name)));
  }
}
