import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StreamingEngineServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A real OpenAI-style chat server on loopback that streams the given content pieces as SSE chunks,
 * (`intervalMs` apart), then either finishes (`[DONE]`) or, with `dieAfter`, drops the connection mid-reply.
 */
export async function startStreamingEngine(
  pieces: string[],
  options: { dieAfter?: boolean; intervalMs?: number } = {},
): Promise<StreamingEngineServer> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const content of pieces) {
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`);
        if (options.intervalMs) await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
      }
      if (options.dieAfter) setTimeout(() => res.socket?.destroy(), 20);
      else res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
