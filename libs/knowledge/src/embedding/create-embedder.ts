import type { ZhibingConfig } from '@zhibing/config';
import type { Embedder } from './embedder.port';
import { HashingEmbedder } from './hashing-embedder';
import { OnnxEmbedderAdapter } from './onnx-embedder.adapter';
import { OpenAiEmbedderAdapter } from './openai-embedder.adapter';

/**
 * The embedder a deployment configured (ZHIBING_EMBEDDER): the built-in hashing embedder, an ONNX
 * sentence-encoder folder, or an OpenAI-compatible /v1/embeddings server. The gateway and the CLI
 * both build it here, so one setting drives history and knowledge selection everywhere.
 */
export async function createEmbedder(config: ZhibingConfig['embedder']): Promise<Embedder> {
  switch (config.kind) {
    case 'hashing':
      return new HashingEmbedder();
    case 'onnx':
      return OnnxEmbedderAdapter.load(config.modelDir);
    case 'openai':
      return OpenAiEmbedderAdapter.connect({
        url: config.url,
        model: config.model,
        apiKey: config.apiKey,
        dimensions: config.dimensions,
      });
  }
}
