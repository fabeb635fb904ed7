import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const optionalUrl = (protocols: string[]) =>
  optionalString.refine((value) => value === undefined || protocols.some((p) => value.startsWith(`${p}://`)), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
  });

/**
 * Every setting of the platform, read from the environment once at start-up. Each has a default
 * that works on a laptop, or fails with a message naming the variable.
 */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  ZHIBING_DATA_DIR: z.string().min(1).default('./data'),
  ZHIBING_ADMIN_KEY: optionalString
    .refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' })
    .refine((v) => v === undefined || (v.startsWith('zb_') && v.length <= 200 && !/\s/.test(v)), {
      message: 'must start with zb_ (e.g. zb_root_…), have no spaces and at most 200 characters, like every key',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ZHIBING_ENGINE: z
    .enum(['onnx', 'remote', ''])
    .optional()
    .transform((v) => (v ? v : undefined)),
  ZHIBING_MODEL_DIR: optionalString,
  ZHIBING_DEVICE: z.enum(['cpu', 'cuda']).default('cpu'),
  /** The graph file inside ZHIBING_MODEL_DIR (e.g. onnx/model_q4.onnx); default: chosen by ZHIBING_MODEL_DTYPE. */
  ZHIBING_MODEL_FILE: optionalString,
  /** Which graph of an Optimum / onnx-community export; unset: fp32, else fp16, else q4 (the most exact present). */
  ZHIBING_MODEL_DTYPE: z
    .enum(['fp32', 'fp16', 'q4', 'q4f16', 'int8', 'uint8', 'q8', 'bnb4', ''])
    .optional()
    .transform((v) => (v ? v : undefined)),
  ZHIBING_REMOTE_URL: optionalUrl(['http', 'https']),
  ZHIBING_REMOTE_MODEL: optionalString,
  ZHIBING_REMOTE_API_KEY: optionalString,
  /** How long a remote engine may take to its first token, and between two chunks of a flowing stream. */
  ZHIBING_REMOTE_FIRST_TOKEN_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  ZHIBING_REMOTE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Per-minute limits for public traffic (0 = off): wrong keys per client IP; widget sessions and messages per key and IP. */
  ZHIBING_LIMIT_AUTH_FAILURES: z.coerce.number().int().min(0).max(100_000).default(30),
  ZHIBING_LIMIT_WIDGET_SESSIONS: z.coerce.number().int().min(0).max(100_000).default(20),
  ZHIBING_LIMIT_WIDGET_MESSAGES: z.coerce.number().int().min(0).max(100_000).default(30),
  /** How often an open socket's key is checked again, so a revoked key stops working there too. */
  ZHIBING_KEY_RECHECK_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  /** Express `trust proxy`: unset/false = the peer address is the client; true, a hop count, or addresses/subnets. */
  ZHIBING_TRUST_PROXY: optionalString
    .refine(
      (v) =>
        v === undefined ||
        /^(true|false|\d{1,2})$/.test(v) ||
        v.split(',').every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/.test(p.trim())),
      {
        message:
          'must be true, false, a number of proxies, or comma-separated addresses/subnets (e.g. loopback, 10.0.0.0/8)',
      },
    )
    .transform((v) =>
      v === undefined || v === 'false' ? false : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v,
    ),
  /** How socket.io rooms are shared between gateways: `redis` (default with REDIS_URL), `postgres` (default with DATABASE_URL) or `none`. */
  ZHIBING_SOCKET_ADAPTER: z
    .enum(['postgres', 'redis', 'none', ''])
    .optional()
    .transform((v) => (v ? v : undefined)),
  /** On SIGTERM, how long streaming replies may go on before they are interrupted (their text kept). */
  ZHIBING_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** How often each gateway looks for scenario timers that came due (any gateway's, or before a restart). */
  ZHIBING_SCENARIO_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  ZHIBING_RERANK_CANDIDATES: z.coerce.number().int().min(0).max(16).default(0),
  ZHIBING_EMBEDDER: z
    .enum(['hashing', 'onnx', 'openai', ''])
    .optional()
    .transform((v) => (v ? v : 'hashing')),
  ZHIBING_EMBEDDER_MODEL_DIR: optionalString,
  ZHIBING_EMBEDDER_URL: optionalUrl(['http', 'https']),
  ZHIBING_EMBEDDER_MODEL: optionalString,
  ZHIBING_EMBEDDER_API_KEY: optionalString,
  ZHIBING_EMBEDDER_DIMENSIONS: optionalString
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .pipe(z.number().int().min(1).max(65536).optional()),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  QDRANT_URL: optionalUrl(['http', 'https']),
  QDRANT_API_KEY: optionalString,
  NEO4J_URL: optionalUrl(['bolt', 'neo4j', 'bolt+s', 'neo4j+s']),
  NEO4J_USER: optionalString,
  NEO4J_PASSWORD: optionalString,
});

export type RawConfig = z.infer<typeof configSchema>;
