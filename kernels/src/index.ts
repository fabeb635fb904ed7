export { OnnxGraph, tensorProto } from './onnx/onnx-graph';
export type { ElementType, Dim } from './onnx/onnx-graph';
export { seededRandom, seededWeights } from './testing/seeded-random';
export { byteLevelTokenizerJson, bytesToUnicode } from './tokenizer/byte-level-tokenizer';
export { buildTinySentenceEncoder } from './embedding/tiny-sentence-encoder';
export type { TinySentenceEncoderOptions } from './embedding/tiny-sentence-encoder';
export {
  GLM_MODEL_TYPES,
  GLM_SPECIAL_TOKENS,
  glmConfigSchema,
  parseGlmConfig,
  PRESETS,
  rotaryDim,
  twoDimensionalPositions,
} from './glm/glm-config';
export { blankInfillingLayout, glmPosition2d, inContext } from './glm/glm-blank-infilling';
export type { BlankInfillingLayout, BlankInfillingTokens } from './glm/glm-blank-infilling';
export type { GlmConfig, GlmModelType, PresetName } from './glm/glm-config';
export { glmWeightShapes, seededGlmWeights, isMoeLayer } from './glm/glm-weights';
export type { GlmWeights, WeightTensor } from './glm/glm-weights';
export { buildGlmNaiveGraph } from './glm/glm-naive-graph';
export { buildModelFolder } from './glm/build-model-folder';
export type { BuildModelFolderOptions } from './glm/build-model-folder';
export { indexSafetensors, readSafetensors, readSafetensorsEntry, writeSafetensors } from './weights/safetensors';
export type { SafetensorsEntry, SafetensorsTensor } from './weights/safetensors';
export { checkpointFiles, loadGlmWeights } from './weights/load-glm-weights';
export { buildGlmFusedGraph } from './glm/glm-fused-graph';
export { decoderFeeds } from './testing/decoder-feeds';
export { toOptimumLayout, writeOptimumExport, writeSeededCheckpoint } from './glm/optimum-export.adapter';
export type { OptimumExportOptions } from './glm/optimum-export.adapter';
