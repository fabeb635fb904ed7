import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Words that mean the same thing to this server's "model": a text mentioning any word of a group
 * gets that group's dimension. Chosen so that paraphrases share no character at all (故宫 and
 * 紫禁城, 门票 and 入场费), which a lexical or character-hashing embedder cannot connect.
 */
export const CONCEPTS: string[][] = [
  ['故宫', '紫禁城'],
  ['门票', '入场费', '票价'],
  ['多少钱', '几何', '贵不贵'],
  ['开放时间', '几点开门', '营业'],
  ['滑雪', '雪上运动'],
  ['熊猫', '国宝'],
];

/** How the server answers the next requests (the adapter's failure paths are tested with these). */
export type ServerMode =
  'ok' | 'shuffled' | 'status-503' | 'status-401' | 'hang' | 'not-json' | 'wrong-count' | 'wrong-dims';

export interface EmbeddingsServer {
  url: string;
  dims: number;
  mode: ServerMode;
  /** Requests answered and texts embedded so far (a test reads what a step cost). */
  readonly requests: number;
  readonly texts: number;
  /** Every text embedded, in order. */
  readonly received: readonly string[];
  readonly lastAuthorization?: string;
  readonly lastModel?: string;
  close(): Promise<void>;
}

/**
 * A deterministic model: one dimension per concept group (weight 1 per mention) and the remaining
 * characters counted into hashed buckets (weight 0.2), so unrelated texts are near orthogonal and
 * paraphrases through a concept are close. Not normalized: the adapter must do that.
 */
export function conceptVector(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0);
  let rest = text;
  CONCEPTS.forEach((group, g) => {
    for (const word of group) {
      while (rest.includes(word)) {
        vector[g] += 1;
        rest = rest.replace(word, ' ');
      }
    }
  });
  const buckets = dims - CONCEPTS.length;
  for (const char of rest.replace(/[\s\p{P}]/gu, '')) vector[CONCEPTS.length + (char.codePointAt(0)! % buckets)] += 0.2;
  return vector;
}

/** A real HTTP server on 127.0.0.1 (a free port) implementing POST /v1/embeddings. */
export async function startEmbeddingsServer(options: { dims?: number } = {}): Promise<EmbeddingsServer> {
  const dims = options.dims ?? 32;
  const hanging = new Set<http.ServerResponse>();
  const state = {
    mode: 'ok' as ServerMode,
    requests: 0,
    texts: 0,
    received: [] as string[],
    lastAuthorization: undefined as string | undefined,
    lastModel: undefined as string | undefined,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings')
        return void res.writeHead(404).end('{"error":"not found"}');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model?: string; input: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      state.requests++;
      state.lastAuthorization = req.headers.authorization;
      state.lastModel = body.model;
      switch (state.mode) {
        case 'status-503':
          return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"overloaded"}');
        case 'status-401':
          return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
        case 'hang':
          hanging.add(res);
          return;
        case 'not-json':
          return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy error</html>');
      }
      state.texts += inputs.length;
      state.received.push(...inputs);
      let data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: conceptVector(text, dims) }));
      if (state.mode === 'wrong-count') data = data.slice(1);
      if (state.mode === 'wrong-dims') data = data.map((d) => ({ ...d, embedding: d.embedding.slice(1) }));
      if (state.mode === 'shuffled') data = [...data].reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 0, total_tokens: 0 } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const handle: EmbeddingsServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dims,
    get mode() {
      return state.mode;
    },
    set mode(mode: ServerMode) {
      state.mode = mode;
    },
    get requests() {
      return state.requests;
    },
    get texts() {
      return state.texts;
    },
    get received() {
      return state.received;
    },
    get lastAuthorization() {
      return state.lastAuthorization;
    },
    get lastModel() {
      return state.lastModel;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return handle;
}
