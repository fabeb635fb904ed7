import type { ChatClient } from './chat-client';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';
import { testDatabases } from './test-databases';

/**
 * Two gateway processes over one fresh Postgres database, started in this describe's beforeAll
 * (one after the other: the first runs the migrations) and stopped, with `clients`, in its afterAll.
 */
export function twoGateways(env: Record<string, string> = {}) {
  const database = testDatabases()[1];
  const pair = {
    a: undefined as unknown as GatewayProcess,
    b: undefined as unknown as GatewayProcess,
    clients: [] as ChatClient[],
    bStarted: 0,
    /**
     * Waits out the start-up window in which a gateway publishes everything: after it they rely on
     * having heard each other's heartbeats (a lone Postgres gateway stops publishing broadcasts).
     */
    async settled(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 6500 - (Date.now() - pair.bStarted))));
    },
  };
  beforeAll(async () => {
    const target = await database.create();
    if (target.kind !== 'postgres') throw new Error('expected the Postgres server');
    pair.a = await startGatewayProcess({ DATABASE_URL: target.url, ...env });
    pair.b = await startGatewayProcess({ DATABASE_URL: target.url, ...env });
    pair.bStarted = Date.now();
  });
  afterAll(async () => {
    for (const client of pair.clients) client.close();
    await Promise.all([pair.a?.kill('SIGTERM'), pair.b?.kill('SIGTERM')]);
    await database.drop();
  });
  return pair;
}
