export { ZhibingError, ValidationError } from './errors';
export { validate } from './validate';
export * from './admin/workspaces.dto';
export * from './admin/api-keys.dto';
export * from './admin/knowledge.dto';
export * from './admin/documents.dto';
export * from './admin/knowledge-item-edit.dto';
export * from './chat/chat-events';
export * from './admin/persona.dto';
