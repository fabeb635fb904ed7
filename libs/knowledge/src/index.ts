export * from './knowledge.types';
export type { Embedder, SyncEmbedder } from './embedding/embedder.port';
export { dot, requireSync } from './embedding/embedder.port';
export { EmbedderError, EMBEDDER_ERROR_STATUS } from './embedding/embedder.errors';
export type { EmbedderErrorCode } from './embedding/embedder.errors';
export { OpenAiEmbedderAdapter } from './embedding/openai-embedder.adapter';
export type { OpenAiEmbedderOptions } from './embedding/openai-embedder.adapter';
export { createEmbedder } from './embedding/create-embedder';
export { HashingEmbedder } from './embedding/hashing-embedder';
export { KnowledgeIndex, itemText } from './selection/knowledge-index';
export { selectKnowledge } from './selection/knowledge-selector';
export type { SelectionOptions } from './selection/knowledge-selector';
export type { DialogueTurn } from './selection/dialogue-turn';
export { EntityLinker } from './selection/entity-linker';
export * from './eval/kdconv';
export { evaluateDomain, linkThenBm25 } from './eval/selection-eval';
export type { DomainReport } from './eval/selection-eval';
export { KnowledgeService } from './knowledge.service';
export type { ImportReport, KnowledgeServiceOptions, ReembedReport, Selection } from './knowledge.service';
export type { KnowledgeChangeFeed, KnowledgeChangeListener } from './sync/knowledge-change-feed.port';
export { KnowledgeRepository } from './store/knowledge.repository';
export type { KnowledgeBaseRow, StoredKnowledgeItem } from './store/knowledge.repository';
export { parseImport } from './import/parse-import';
export { decodeImportText } from './import/decode-import';
export {
  IMPORT_FORMATS,
  qaRecordSchema,
  tripleRecordSchema,
  descriptionRecordSchema,
} from './import/knowledge-records';
export type { ImportFormat, KnowledgeRecord, RejectedLine } from './import/knowledge-records';
export { KnowledgeBaseNotFoundError, KnowledgeItemNotFoundError } from './knowledge.errors';
export type { VectorIndex, VectorPoint, GraphIndex, GraphFact } from './projection/vector-index.port';
export { PostgresVectorAdapter } from './projection/postgres-vector.adapter';
export { PostgresGraphAdapter } from './projection/postgres-graph.adapter';
export { QdrantVectorAdapter } from './projection/qdrant-vector.adapter';
export { Neo4jGraphAdapter } from './projection/neo4j-graph.adapter';
export { OutboxDispatcher } from './projection/outbox-dispatcher';
export type { Projection, OutboxRow, DrainResult } from './projection/outbox-dispatcher';
export { VectorProjection, GraphProjection } from './projection/knowledge-projections';
export { knowledgeOptionsFromConfig } from './knowledge-options';
export { OnnxEmbedderAdapter } from './embedding/onnx-embedder.adapter';
export { TextTokenizer } from './selection/text-tokenizer';
export { DocumentImportService } from './import/documents/document-import.service';
export type {
  DocumentImportOptions,
  DocumentImportReport,
  DocumentUpload,
} from './import/documents/document-import.service';
export type { DocumentSummary } from './import/documents/document.repository';
export { DocumentError } from './import/documents/document.errors';
export type { DocumentErrorCode } from './import/documents/document.errors';
