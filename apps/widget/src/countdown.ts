/** mm:ss of the time left until `endsAt` (never negative; minutes go past 59 rather than adding hours). */
export function formatRemaining(endsAt: Date, now: Date): string {
  const seconds = Math.max(0, Math.ceil((endsAt.getTime() - now.getTime()) / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Ticks once a second into `element` until stopped; the last minute is marked `low`. */
export class Countdown {
  private timer?: ReturnType<typeof setInterval>;

  constructor(private readonly element: HTMLElement) {}

  start(endsAt: string): void {
    this.stop();
    const end = new Date(endsAt);
    const tick = () => {
      const now = new Date();
      this.element.textContent = formatRemaining(end, now);
      this.element.classList.toggle('low', end.getTime() - now.getTime() < 60_000);
      if (now >= end) this.stop();
    };
    tick();
    this.timer = setInterval(tick, 1000);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
