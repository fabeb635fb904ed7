import type { ServerEvents } from '@zhibing/protocol';
import type { Texts } from './i18n';

export type AvatarState = ServerEvents['avatar.state']['state'];

/**
 * The persona in the header: its image (or a drawn face) whose ring, scale and mouth follow the
 * state — listening, thinking, speaking — by CSS transitions, and the emotion as a label.
 */
export class AvatarView {
  private state: AvatarState = 'listening';

  constructor(
    private readonly avatar: HTMLElement,
    private readonly status: HTMLElement,
    private readonly emotion: HTMLElement,
    private readonly texts: Texts,
  ) {}

  /** The persona's image replaces the drawn face once it has loaded (a broken link keeps the face). */
  showImage(url: string, name: string): void {
    const current = this.avatar.querySelector('img');
    if (current?.getAttribute('src') === url) return;
    const image = new Image();
    image.alt = name;
    image.className = 'photo';
    image.onload = () => {
      this.avatar.querySelector('svg.face')?.remove();
      this.avatar.querySelector('img')?.remove();
      this.avatar.prepend(image);
    };
    image.src = url;
  }

  get current(): AvatarState {
    return this.state;
  }

  set(state: AvatarState, emotion?: string): void {
    this.state = state;
    this.avatar.setAttribute('data-state', state);
    if (emotion !== undefined) {
      this.avatar.setAttribute('data-emotion', emotion);
      this.emotion.textContent = emotion;
    }
    this.status.textContent = this.texts[state];
  }

  /** Connection states replace the avatar's words until the session is up. */
  showStatus(text: string): void {
    this.status.textContent = text;
  }
}
