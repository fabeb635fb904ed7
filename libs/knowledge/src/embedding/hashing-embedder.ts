import { normalize, type SyncEmbedder } from './embedder.port';

/**
 * The built-in embedder and the offline default (ZHIBING_EMBEDDER=hashing): character unigrams
 * and bigrams hashed into a fixed number of buckets (the "hashing trick"). Needs no model
 * download, works for any script, and is deterministic; it captures lexical overlap, not
 * meaning — configure an ONNX sentence encoder or an embeddings server for that.
 */
export class HashingEmbedder implements SyncEmbedder {
  readonly id: string;

  constructor(readonly dimensions = 256) {
    this.id = `hashing-bigram-${dimensions}`;
  }

  embedSync(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const chars = Array.from(text.replace(/\s+/g, ''));
    for (let i = 0; i < chars.length; i++) {
      this.bump(vector, chars[i], 0.5);
      if (i + 1 < chars.length) this.bump(vector, chars[i] + chars[i + 1], 1);
    }
    return normalize(vector);
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedSync(t));
  }

  private bump(vector: Float32Array, gram: string, weight: number): void {
    // FNV-1a; the sign bit spreads collisions so they cancel rather than pile up.
    let hash = 0x811c9dc5;
    for (let i = 0; i < gram.length; i++) {
      hash ^= gram.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    const bucket = (hash >>> 1) % this.dimensions;
    vector[bucket] += hash & 1 ? weight : -weight;
  }
}
