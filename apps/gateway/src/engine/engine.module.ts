import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { EngineResponder, type Responder, RetrievalResponder } from '@zhibing/dialogue';
import { ENGINE, type Engine } from '@zhibing/engine';
import { ZhibingError } from '@zhibing/protocol';
import { ZHIBING_CONFIG } from '../config/config.module';
import { HealthRegistry } from '../health/health-registry';

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
      useFactory: (config: ZhibingConfig): Engine | null => {
        if (config.engine.kind === 'retrieval') return null;
        throw new ZhibingError('engine_unavailable', `ZHIBING_ENGINE=${config.engine.kind} is not available in this build yet; unset it to use the retrieval responder`);
      },
    },
    {
      provide: RESPONDER,
      inject: [ENGINE],
      useFactory: (engine: Engine | null): Responder => (engine ? new EngineResponder(engine) : new RetrievalResponder()),
    },
  ],
  exports: [ENGINE, RESPONDER],
})
export class EngineModule implements OnModuleInit {
  constructor(@Inject(ENGINE) private readonly engine: Engine | null, private readonly health: HealthRegistry) {}

  onModuleInit(): void {
    this.health.register('engine', {
      check: async () =>
        this.engine
          ? { status: 'ok', kind: this.engine.name, contextLength: this.engine.capabilities.contextLength }
          : { status: 'ok', kind: 'retrieval', note: 'no generative model configured (ZHIBING_ENGINE): replies come from the retrieval responder' },
    });
  }
}
