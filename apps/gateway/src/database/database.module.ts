import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { closeDatabase } from '@zhibing/storage';
import { DataSource } from 'typeorm';

/** Provides the opened TypeORM DataSource (injectable by its class) and closes it on shutdown. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await closeDatabase(this.dataSource);
  }
}
