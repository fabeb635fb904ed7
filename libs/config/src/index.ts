export { loadConfig } from './load-config';
export type { ZhibingConfig } from './load-config';
export { ConfigError } from './config.errors';
export { configSchema } from './config.schema';
