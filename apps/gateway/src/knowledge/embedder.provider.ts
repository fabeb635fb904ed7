import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { createEmbedder, type Embedder } from '@zhibing/knowledge';
import { ZHIBING_CONFIG } from '../config/config.module';
import { HealthRegistry } from '../health/health-registry';

/** Injection token of the deployment's one embedder (ZHIBING_EMBEDDER). */
export const EMBEDDER = Symbol('ZHIBING_EMBEDDER');

export const embedderProvider: Provider = {
  provide: EMBEDDER,
  inject: [ZHIBING_CONFIG],
  useFactory: (config: ZhibingConfig): Promise<Embedder> => createEmbedder(config.embedder),
};

/** /health says which embedder history and knowledge selection use. */
@Injectable()
export class EmbedderHealth implements OnModuleInit {
  constructor(
    @Inject(EMBEDDER) private readonly embedder: Embedder,
    @Inject(ZHIBING_CONFIG) private readonly config: ZhibingConfig,
    private readonly health: HealthRegistry,
  ) {}

  onModuleInit(): void {
    const kind = this.config.embedder.kind;
    this.health.register('embedder', {
      check: async () => ({
        status: 'ok',
        kind,
        id: this.embedder.id,
        dimensions: this.embedder.dimensions,
        ...(kind === 'hashing'
          ? { note: 'built-in hashing embedder (lexical, offline default); set ZHIBING_EMBEDDER for a model' }
          : {}),
      }),
    });
  }
}
