import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTinySentenceEncoder } from '@zhibing/kernels';
import { startEmbeddingsServer } from '../../../../test/support/embeddings-server';
import { createEmbedder } from './create-embedder';
import { HashingEmbedder } from './hashing-embedder';
import { OnnxEmbedderAdapter } from './onnx-embedder.adapter';
import { OpenAiEmbedderAdapter } from './openai-embedder.adapter';

describe('createEmbedder: the configured embedder', () => {
  it('is the built-in hashing embedder by default', async () => {
    const embedder = await createEmbedder({ kind: 'hashing' });
    expect(embedder).toBeInstanceOf(HashingEmbedder);
    expect(embedder).toMatchObject({ id: 'hashing-bigram-256', dimensions: 256 });
  });

  it('loads an ONNX sentence-encoder folder', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-embedder-'));
    try {
      buildTinySentenceEncoder({ out: folder, seed: 3, dims: 24 });
      const embedder = await createEmbedder({ kind: 'onnx', modelDir: folder });
      expect(embedder).toBeInstanceOf(OnnxEmbedderAdapter);
      expect(embedder).toMatchObject({ id: `onnx:${path.basename(folder)}`, dimensions: 24 });
      expect((await embedder.embed(['滑雪']))[0]).toHaveLength(24);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('connects to an OpenAI-compatible server, learning the width from a probe', async () => {
    const server = await startEmbeddingsServer({ dims: 12 });
    try {
      const embedder = await createEmbedder({ kind: 'openai', url: server.url, model: 'm' });
      expect(embedder).toBeInstanceOf(OpenAiEmbedderAdapter);
      expect(embedder).toMatchObject({ id: 'openai:m', dimensions: 12 });
      expect(server.received).toEqual(['probe']);
    } finally {
      await server.close();
    }
  });

  it('with configured dimensions, starts without asking the server', async () => {
    const server = await startEmbeddingsServer({ dims: 12 });
    try {
      const embedder = await createEmbedder({ kind: 'openai', url: server.url, model: 'm', dimensions: 12 });
      expect(embedder.dimensions).toBe(12);
      expect(server.requests).toBe(0);
    } finally {
      await server.close();
    }
  });
});
