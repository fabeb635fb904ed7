import { Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { EngineResponder, type Responder, RetrievalResponder } from '@zhibing/dialogue';
import { createOnnxEngine, ENGINE, type Engine, InversePromptingEngine, RemoteEngine } from '@zhibing/engine';
import { ZHIBING_CONFIG } from '../config/config.module';
import { HealthRegistry } from '../health/health-registry';
import { meterResponder } from '../metrics/metered-responder';
import { MetricsService } from '../metrics/metrics.service';
import { Gauge } from 'prom-client';

const logger = new Logger('EngineModule');

/** Injection token of the Responder that writes persona replies. */
export const RESPONDER = Symbol('ZHIBING_RESPONDER');

/**
 * The configured engine (or null) and the responder built on it. With no ZHIBING_ENGINE the
 * retrieval responder answers from knowledge, and /health says so.
 */
@Global()
@Module({
  providers: [
    {
      provide: ENGINE,
      inject: [ZHIBING_CONFIG],
      useFactory: async (config: ZhibingConfig): Promise<Engine | null> => {
        if (config.engine.kind === 'retrieval') return null;
        const engine: Engine =
          config.engine.kind === 'onnx'
            ? await createOnnxEngine({
                modelDir: config.engine.modelDir,
                device: config.engine.device,
                modelFile: config.engine.modelFile,
                modelDtype: config.engine.modelDtype,
              })
            : new RemoteEngine({
                url: config.engine.url,
                model: config.engine.model,
                apiKey: config.engine.apiKey,
                firstTokenTimeoutMs: config.engine.firstTokenTimeoutMs,
                idleTimeoutMs: config.engine.idleTimeoutMs,
              });
        // Inverse-prompting rerank needs scoring; off by default (ZHIBING_RERANK_CANDIDATES).
        return config.rerankCandidates >= 2 && engine.capabilities.scoring
          ? new InversePromptingEngine(engine, { candidates: config.rerankCandidates })
          : engine;
      },
    },
    {
      provide: RESPONDER,
      inject: [ENGINE, MetricsService],
      // Metered so /metrics has tokens/s and time to first token, whichever responder writes.
      useFactory: (engine: Engine | null, metrics: MetricsService): Responder =>
        meterResponder(engine ? new EngineResponder(engine) : new RetrievalResponder(), metrics.generation),
    },
  ],
  exports: [ENGINE, RESPONDER],
})
export class EngineModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(ENGINE) private readonly engine: Engine | null,
    private readonly health: HealthRegistry,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.engine?.close();
  }

  onModuleInit(): void {
    // The onnx engine's running totals (a Promise when its model runs in a worker process).
    type Counts = { layer: number; counts: number[] }[];
    const routing = (this.engine as { routingCounts?: () => Counts | Promise<Counts> } | null)?.routingCounts?.bind(
      this.engine,
    );
    if (routing) {
      // Prometheus reads the engine's running totals at scrape time.
      new Gauge({
        name: 'zhibing_moe_expert_tokens',
        help: 'Tokens routed to each expert of each MoE layer since start',
        labelNames: ['layer', 'expert'] as const,
        registers: [this.metrics.registry],
        async collect() {
          let totals: Counts;
          try {
            totals = await routing();
          } catch (error) {
            // The engine worker is restarting: this scrape keeps the last totals; the cause is logged.
            logger.warn(`MoE routing counts unavailable: ${(error as Error).message}`);
            return;
          }
          for (const { layer, counts } of totals)
            counts.forEach((count, expert) => this.set({ layer: String(layer), expert: String(expert) }, count));
        },
      });
    }
    // The onnx engine's worker process: a crash shows here while its replacement loads.
    const worker = () => (this.engine as { workerState?: 'ready' | 'starting' | 'down' } | null)?.workerState;
    const workerHealth = { ready: 'ok', starting: 'degraded', down: 'down' } as const;
    this.health.register('engine', {
      check: async () =>
        this.engine
          ? {
              status: workerHealth[worker() ?? 'ready'],
              kind: this.engine.name,
              contextLength: this.engine.capabilities.contextLength,
              ...(worker() ? { worker: worker() } : {}),
            }
          : {
              status: 'ok',
              kind: 'retrieval',
              note: 'no generative model configured (ZHIBING_ENGINE): replies come from the retrieval responder',
            },
    });
  }
}
