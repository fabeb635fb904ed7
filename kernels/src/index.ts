export { OnnxGraph, tensorProto } from './onnx/onnx-graph';
export type { ElementType, Dim } from './onnx/onnx-graph';
export { seededRandom, seededWeights } from './testing/seeded-random';
export { byteLevelTokenizerJson, bytesToUnicode } from './tokenizer/byte-level-tokenizer';
export { buildTinySentenceEncoder } from './embedding/tiny-sentence-encoder';
export type { TinySentenceEncoderOptions } from './embedding/tiny-sentence-encoder';
