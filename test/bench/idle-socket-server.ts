import 'reflect-metadata';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { TEST_ADMIN_KEY, startTestApp } from '../support/test-app';
import { testDatabases } from '../support/test-databases';

/**
 * A server for the idle-socket bench, in its own process so its memory is its own: `bare` is a
 * plain socket.io server with a /chat namespace, `gateway` the real gateway on embedded PGlite.
 * Tells the parent its port, then answers each `measure` with its memory after a full GC.
 */
async function main(): Promise<void> {
  const mode = process.argv[2];
  let port: number;
  if (mode === 'bare') {
    const http = createServer();
    const io = new Server(http, { transports: ['websocket'] });
    io.of('/chat').on('connection', () => undefined);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as { port: number }).port;
  } else {
    const pglite = testDatabases().find((d) => d.name === 'pglite')!;
    const app = await startTestApp(pglite);
    port = Number(new URL(app.url).port);
  }
  process.on('message', (message: string) => {
    if (message !== 'measure') return;
    for (let i = 0; i < 3; i++) global.gc?.();
    const memory = process.memoryUsage();
    process.send?.({ rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external });
  });
  process.send?.({ port, key: TEST_ADMIN_KEY });
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
