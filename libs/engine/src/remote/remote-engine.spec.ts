import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenerationEvent } from '../engine.port';
import { collectEvents } from '../generation/collect-events';
import { RemoteEngine } from './remote-engine';

/** A real HTTP server speaking OpenAI SSE, whose answers the test scripts one request at a time. */
async function scriptedServer(script: ((res: http.ServerResponse) => void)[]) {
  let calls = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => (script[Math.min(calls++, script.length - 1)])(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls: () => calls, close: () => new Promise((r) => server.close(r)) };
}

const sse = (pieces: string[], gapMs = 0) => (res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let i = 0;
  const next = () => {
    if (i < pieces.length) {
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: pieces[i++] }, finish_reason: null }] })}\n\n`);
      setTimeout(next, gapMs);
    } else {
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: pieces.length } })}\n\ndata: [DONE]\n\n`);
      res.end();
    }
  };
  next();
};
const status = (code: number) => (res: http.ServerResponse) => res.writeHead(code, { 'content-type': 'application/json' }).end('{"error":"no"}');

const collect = async (events: AsyncIterable<GenerationEvent>) => (await collectEvents(events)).all;

describe('RemoteEngine against a real OpenAI-style server', () => {
  it('streams deltas and ends with usage', async () => {
    const server = await scriptedServer([sse(['你', '好', '！'])]);
    const engine = new RemoteEngine({ url: server.url, model: 'm' });
    const events = await collect(engine.generate({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(events.map((e) => (e.type === 'delta' ? e.text : e.type))).toEqual(['你', '好', '！', 'end']);
    expect(events[3]).toMatchObject({ text: '你好！', finishReason: 'stop', usage: { promptTokens: 5, completionTokens: 3 } });
    await server.close();
  });

  it('retries an overloaded server before the first token', async () => {
    const server = await scriptedServer([status(503), sse(['ok'])]);
    const events = await collect(new RemoteEngine({ url: server.url, retries: 2 }).generate({ prompt: 'x' }));
    expect(events.pop()).toMatchObject({ text: 'ok' });
    expect(server.calls()).toBe(2);
    await server.close();
  });

  it('does not retry a rejected request, and maps it to a typed error', async () => {
    const server = await scriptedServer([status(400), sse(['never'])]);
    await expect(collect(new RemoteEngine({ url: server.url, retries: 2 }).generate({ prompt: 'x' }))).rejects.toMatchObject({ code: 'engine_rejected' });
    expect(server.calls()).toBe(1);
    await server.close();
  });

  it('an unreachable server is engine_unavailable after its retries', async () => {
    await expect(collect(new RemoteEngine({ url: 'http://127.0.0.1:9', retries: 1 }).generate({ prompt: 'x' }))).rejects.toMatchObject({ code: 'engine_unavailable' });
  });

  it('aborting mid-stream ends as cancelled with the text so far', async () => {
    const server = await scriptedServer([sse(['a', 'b', 'c', 'd', 'e', 'f'], 30)]);
    const controller = new AbortController();
    const events: GenerationEvent[] = [];
    for await (const event of new RemoteEngine({ url: server.url }).generate({ prompt: 'x', signal: controller.signal })) {
      events.push(event);
      if (event.type === 'delta' && event.text === 'b') controller.abort();
    }
    expect(events.pop()).toMatchObject({ type: 'end', finishReason: 'cancelled', text: 'ab' });
    await server.close();
  });
});
