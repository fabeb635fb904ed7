import { EmbedderError } from './embedder.errors';

/** Turns texts into unit-length vectors; cosine similarity is then a dot product. */
export interface Embedder {
  /** Stable id of the model, stored with each vector so mixed embeddings are never compared. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** An embedder that also embeds in the caller's tick (the built-in hashing embedder). */
export interface SyncEmbedder extends Embedder {
  embedSync(text: string): Float32Array;
}

export function isSync(embedder: Embedder): embedder is SyncEmbedder {
  return typeof (embedder as Partial<SyncEmbedder>).embedSync === 'function';
}

/** The embedder as a SyncEmbedder; throws `embedder_not_synchronous` for model-backed ones. */
export function requireSync(embedder: Embedder): SyncEmbedder {
  if (!isSync(embedder)) {
    throw new EmbedderError('embedder_not_synchronous', `embedder ${embedder.id} only embeds asynchronously (embed())`);
  }
  return embedder as SyncEmbedder;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] /= norm;
  return vector;
}
