import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the engine does with one request: stream `pieces` (`intervalMs` apart), then finish or die. */
export interface EngineTurn {
  pieces: string[];
  intervalMs?: number;
  /** Drop the connection after the pieces (the reply fails). */
  die?: boolean;
}

export interface ScriptedEngine {
  url: string;
  /** Requests answered so far. */
  requests: number;
  /** The next requests' behaviour, in order; when empty, every request gets `fallback`. */
  queue: EngineTurn[];
  close(): Promise<void>;
}

/** A real OpenAI-style streaming server on loopback whose every answer the test decides. */
export async function startScriptedEngine(fallback: EngineTurn): Promise<ScriptedEngine> {
  const engine: ScriptedEngine = {
    url: '',
    requests: 0,
    queue: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      engine.requests++;
      const turn = engine.queue.shift() ?? fallback;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const content of turn.pieces) {
        if (res.destroyed) return;
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`);
        if (turn.intervalMs) await new Promise((resolve) => setTimeout(resolve, turn.intervalMs));
      }
      if (turn.die) setTimeout(() => res.socket?.destroy(), 20);
      else res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  engine.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return engine;
}
