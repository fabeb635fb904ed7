import type { INestApplication } from '@nestjs/common';
import { loadConfig, type ZhibingConfig } from '@zhibing/config';
import type { DataSource } from 'typeorm';
import { createApp } from '../../apps/gateway/src/create-app';
import type { TestDatabase } from './test-databases';

export const TEST_ADMIN_KEY = 'zb_root_test-operator-key-0123456789';

export interface TestApp {
  app: INestApplication;
  dataSource: DataSource;
  config: ZhibingConfig;
  url: string;
  close(): Promise<void>;
}

/** A real gateway on an ephemeral port over a fresh database of the given kind. */
export async function startTestApp(database: TestDatabase, env: Record<string, string> = {}): Promise<TestApp> {
  const target = await database.create();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ZHIBING_ADMIN_KEY: TEST_ADMIN_KEY,
    // Closing a test app interrupts replies in flight at once (as before graceful shutdown); tests of the grace set it.
    ZHIBING_SHUTDOWN_GRACE_MS: '0',
    ...(target.kind === 'postgres' ? { DATABASE_URL: target.url } : { ZHIBING_DATA_DIR: target.dataDir }),
    ...env,
  });
  if (target.kind === 'pglite') config.database = target;
  const { app, dataSource } = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    dataSource,
    config,
    url: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
