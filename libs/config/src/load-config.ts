import * as path from 'node:path';
import { ConfigError } from './config.errors';
import { configSchema, type RawConfig } from './config.schema';

/** The validated, typed settings the rest of the platform reads (never process.env directly). */
export interface ZhibingConfig {
  port: number;
  host: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  dataDir: string;
  adminKey?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  engine:
    | { kind: 'retrieval' }
    | {
        kind: 'onnx';
        modelDir: string;
        device: 'cpu' | 'cuda';
        modelFile?: string;
        modelDtype?: 'fp32' | 'fp16' | 'q4' | 'q4f16' | 'int8' | 'uint8' | 'q8' | 'bnb4';
      }
    | {
        kind: 'remote';
        url: string;
        model?: string;
        apiKey?: string;
        firstTokenTimeoutMs: number;
        idleTimeoutMs: number;
      };
  rerankCandidates: number;
  /** Express `trust proxy`: which peers may set X-Forwarded-For (the client IP that per-IP limits count). */
  trustProxy: boolean | number | string;
  /** On shutdown, how long streaming replies may finish before they are interrupted with their text kept. */
  shutdownGraceMs: number;
  /** How often scenario timers that came due are looked for (ms). */
  scenarioPollMs: number;
  /** Sharing socket.io rooms between gateways: over Postgres LISTEN/NOTIFY, or not at all (a single gateway). */
  socketAdapter: { kind: 'postgres' } | { kind: 'redis'; url: string } | { kind: 'none' };
  /** Per-minute limits for public traffic; 0 turns one off. */
  limits: { authFailuresPerMinute: number; widgetSessionsPerMinute: number; widgetMessagesPerMinute: number };
  /** How often an open socket's key is verified again (a revoked key stops working within this). */
  keyRecheckMs: number;
  /** What turns text into vectors for history and knowledge selection (one setting drives both). */
  embedder:
    | { kind: 'hashing' }
    | { kind: 'onnx'; modelDir: string }
    | { kind: 'openai'; url: string; model: string; apiKey?: string; dimensions?: number };
  qdrant?: { url: string; apiKey?: string };
  neo4j?: { url: string; user?: string; password?: string };
}

/**
 * Parses and validates the environment once. Throws ConfigError naming every bad variable,
 * including settings that only make sense together (ZHIBING_ENGINE=onnx needs ZHIBING_MODEL_DIR).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ZhibingConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })),
    );
  }
  const raw = parsed.data;
  const problems: { variable: string; message: string }[] = [];
  if (raw.ZHIBING_ENGINE === 'onnx' && !raw.ZHIBING_MODEL_DIR) {
    problems.push({ variable: 'ZHIBING_MODEL_DIR', message: 'is required when ZHIBING_ENGINE=onnx' });
  }
  if (raw.ZHIBING_ENGINE === 'remote' && !raw.ZHIBING_REMOTE_URL) {
    problems.push({ variable: 'ZHIBING_REMOTE_URL', message: 'is required when ZHIBING_ENGINE=remote' });
  }
  if (raw.ZHIBING_EMBEDDER === 'onnx' && !raw.ZHIBING_EMBEDDER_MODEL_DIR) {
    problems.push({ variable: 'ZHIBING_EMBEDDER_MODEL_DIR', message: 'is required when ZHIBING_EMBEDDER=onnx' });
  }
  if (raw.ZHIBING_EMBEDDER === 'openai') {
    for (const variable of ['ZHIBING_EMBEDDER_URL', 'ZHIBING_EMBEDDER_MODEL'] as const) {
      if (!raw[variable]) problems.push({ variable, message: 'is required when ZHIBING_EMBEDDER=openai' });
    }
  }
  if (raw.ZHIBING_SOCKET_ADAPTER === 'redis' && !raw.REDIS_URL) {
    problems.push({ variable: 'REDIS_URL', message: 'is required when ZHIBING_SOCKET_ADAPTER=redis' });
  }
  if (raw.ZHIBING_SOCKET_ADAPTER === 'postgres' && !raw.DATABASE_URL) {
    problems.push({ variable: 'ZHIBING_SOCKET_ADAPTER', message: 'postgres needs DATABASE_URL (a Postgres server)' });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(raw.ZHIBING_DATA_DIR);
  return {
    port: raw.PORT,
    host: raw.HOST,
    database: raw.DATABASE_URL ? { kind: 'postgres', url: raw.DATABASE_URL } : { kind: 'pglite', dataDir },
    dataDir,
    adminKey: raw.ZHIBING_ADMIN_KEY,
    logLevel: raw.LOG_LEVEL,
    engine:
      raw.ZHIBING_ENGINE === 'onnx'
        ? {
            kind: 'onnx',
            modelDir: path.resolve(raw.ZHIBING_MODEL_DIR!),
            device: raw.ZHIBING_DEVICE,
            modelFile: raw.ZHIBING_MODEL_FILE,
            modelDtype: raw.ZHIBING_MODEL_DTYPE,
          }
        : raw.ZHIBING_ENGINE === 'remote'
          ? {
              kind: 'remote',
              url: raw.ZHIBING_REMOTE_URL!,
              model: raw.ZHIBING_REMOTE_MODEL,
              apiKey: raw.ZHIBING_REMOTE_API_KEY,
              firstTokenTimeoutMs: raw.ZHIBING_REMOTE_FIRST_TOKEN_TIMEOUT_MS,
              idleTimeoutMs: raw.ZHIBING_REMOTE_IDLE_TIMEOUT_MS,
            }
          : { kind: 'retrieval' },
    rerankCandidates: raw.ZHIBING_RERANK_CANDIDATES,
    trustProxy: raw.ZHIBING_TRUST_PROXY,
    shutdownGraceMs: raw.ZHIBING_SHUTDOWN_GRACE_MS,
    scenarioPollMs: raw.ZHIBING_SCENARIO_POLL_MS,
    socketAdapter: socketAdapterOf(raw),
    keyRecheckMs: raw.ZHIBING_KEY_RECHECK_MS,
    limits: {
      authFailuresPerMinute: raw.ZHIBING_LIMIT_AUTH_FAILURES,
      widgetSessionsPerMinute: raw.ZHIBING_LIMIT_WIDGET_SESSIONS,
      widgetMessagesPerMinute: raw.ZHIBING_LIMIT_WIDGET_MESSAGES,
    },
    embedder: embedderOf(raw),
    qdrant: raw.QDRANT_URL ? { url: raw.QDRANT_URL, apiKey: raw.QDRANT_API_KEY } : undefined,
    neo4j: raw.NEO4J_URL ? { url: raw.NEO4J_URL, user: raw.NEO4J_USER, password: raw.NEO4J_PASSWORD } : undefined,
  };
}

function socketAdapterOf(raw: RawConfig): ZhibingConfig['socketAdapter'] {
  const kind = raw.ZHIBING_SOCKET_ADAPTER ?? (raw.REDIS_URL ? 'redis' : raw.DATABASE_URL ? 'postgres' : 'none');
  return kind === 'redis' ? { kind, url: raw.REDIS_URL! } : { kind };
}

function embedderOf(raw: RawConfig): ZhibingConfig['embedder'] {
  switch (raw.ZHIBING_EMBEDDER) {
    case 'onnx':
      return { kind: 'onnx', modelDir: path.resolve(raw.ZHIBING_EMBEDDER_MODEL_DIR!) };
    case 'openai':
      return {
        kind: 'openai',
        url: raw.ZHIBING_EMBEDDER_URL!,
        model: raw.ZHIBING_EMBEDDER_MODEL!,
        apiKey: raw.ZHIBING_EMBEDDER_API_KEY,
        dimensions: raw.ZHIBING_EMBEDDER_DIMENSIONS,
      };
    default:
      return { kind: 'hashing' };
  }
}
