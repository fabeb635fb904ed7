export * from './engine.port';
export { ModelFolderError, EngineError } from './engine.errors';
export { OnnxEngine, createOnnxEngine } from './onnx/onnx-engine';
export type { OnnxEngineOptions } from './onnx/onnx-engine';
export { readModelFolder } from './onnx/model-folder';
export { StreamingDetokenizer } from './generation/streaming-detokenizer';
export { TokenSampler } from './generation/token-sampler';
export { candidateDistribution, applyRepetitionPenalty } from './generation/logits-processors';
