/**
 * Replies read aloud with the browser's speechSynthesis. The avatar speaks while the audio plays:
 * `onSpeaking(true)` on the utterance's start, `onSpeaking(false)` on its end, error or a stop.
 */
export class Voice {
  enabled: boolean;
  private speaking = false;

  constructor(
    enabled: boolean,
    private readonly lang: string,
    private readonly onSpeaking: (speaking: boolean) => void,
  ) {
    this.enabled = enabled && Voice.available();
  }

  static available(): boolean {
    return typeof window.speechSynthesis !== 'undefined' && typeof window.SpeechSynthesisUtterance !== 'undefined';
  }

  get isSpeaking(): boolean {
    return this.speaking;
  }

  speak(text: string): void {
    if (!this.enabled || !text.trim()) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = this.lang;
    utterance.onstart = () => this.setSpeaking(true);
    utterance.onend = () => this.setSpeaking(false);
    utterance.onerror = () => this.setSpeaking(false);
    window.speechSynthesis.speak(utterance);
  }

  /** Silences what is playing and what is queued (the stop button, a new conversation, voice off). */
  stop(): void {
    if (!Voice.available()) return;
    window.speechSynthesis.cancel();
    this.setSpeaking(false);
  }

  private setSpeaking(speaking: boolean): void {
    if (this.speaking === speaking) return;
    this.speaking = speaking;
    this.onSpeaking(speaking);
  }
}
