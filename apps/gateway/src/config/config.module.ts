import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';

/** Injection token of the validated ZhibingConfig. */
export const ZHIBING_CONFIG = Symbol('ZHIBING_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ZhibingConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: ZHIBING_CONFIG, useValue: config }],
      exports: [ZHIBING_CONFIG],
    };
  }
}
