import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

/** Sampling resolution: fine enough to see a 10 ms stall (prom-client's own lag metric samples at 10 ms). */
const RESOLUTION_MS = 1;

/**
 * `zhibing_event_loop_delay_seconds{quantile}`: how late the gateway's event loop ran timers since
 * the previous scrape (p50, p99, max). Every socket waits this long behind whatever held the loop,
 * so it is the number that says whether inference or a query blocks the sockets.
 */
export function registerEventLoopDelayGauge(registry: Registry): void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  new Gauge({
    name: 'zhibing_event_loop_delay_seconds',
    help: 'Event-loop delay since the previous scrape, by quantile (0.5, 0.99, 1 = max)',
    labelNames: ['quantile'] as const,
    registers: [registry],
    collect() {
      // The histogram counts the sampling interval itself; what exceeds it is the delay.
      const seconds = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS) / 1000;
      const count = histogram.count;
      this.set({ quantile: '0.5' }, count ? seconds(histogram.percentile(50)) : 0);
      this.set({ quantile: '0.99' }, count ? seconds(histogram.percentile(99)) : 0);
      this.set({ quantile: '1' }, count ? seconds(histogram.max) : 0);
      histogram.reset();
    },
  });
}
