import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { registerEventLoopDelayGauge } from './event-loop-delay.gauge';
import { GenerationMetrics } from './generation-metrics';

/** The Prometheus registry of this process; modules add their own metrics to `registry`. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'zhibing_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'zhibing_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });
  readonly generation = new GenerationMetrics(this.registry);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'zhibing_' });
    registerEventLoopDelayGauge(this.registry);
  }
}
