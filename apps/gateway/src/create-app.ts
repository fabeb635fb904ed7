import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { text } from 'express';
import type { ZhibingConfig } from '@zhibing/config';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { ApiKeysService } from './auth/api-keys.service';
import { authBeforeBodyMiddleware } from './auth/auth-before-body.middleware';
import { jsonBodyMiddleware } from './common/json-body.middleware';
import { RateLimitsService } from './limits/rate-limits.service';
import { createLogger, PinoNestLogger } from './common/logger';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { version } from './health/version';
import { ClusterIoAdapter } from './realtime/cluster-io.adapter';

export interface CreatedApp {
  app: INestApplication;
  dataSource: DataSource;
  logger: Logger;
  /** The operator key generated on first start (no ZHIBING_ADMIN_KEY); shown once, never stored. */
  generatedAdminKey: string | null;
}

/**
 * Opens the database (running migrations), makes sure the default workspace and an operator key
 * exist, and builds the Nest application with logging, problem+json errors and OpenAPI docs.
 * The caller listens. Used by main.ts and by the e2e tests, so both run the same wiring.
 */
export async function createApp(config: ZhibingConfig, options: { logger?: Logger } = {}): Promise<CreatedApp> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const dataSource = await openDatabase(config.database);
  try {
    const app = await NestFactory.create(AppModule.forRoot(config, dataSource), {
      logger: new PinoNestLogger(logger),
      abortOnError: false,
      bodyParser: false,
      // At close, connections still open (after the graceful steps) are cut rather than waited for.
      forceCloseConnections: true,
    });
    // request.ip honours X-Forwarded-For only from the proxies ZHIBING_TRUST_PROXY names.
    app.getHttpAdapter().getInstance().set('trust proxy', app.get(RateLimitsService).trustProxy);
    // First, so every request (refused ones too) has an id and a log line.
    app.use(
      pinoHttp({
        logger,
        genReqId: (req, res) => {
          const incoming = req.headers['x-request-id'];
          const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
          res.setHeader('x-request-id', id);
          return id;
        },
        autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      }),
    );
    // Keys are checked before any body is read (the admin and OpenAI APIs are all under /v1).
    app.use('/v1', authBeforeBodyMiddleware(app.get(ApiKeysService), app.get(RateLimitsService)));
    app.use(jsonBodyMiddleware('2mb'));
    // Knowledge imports arrive as the file itself.
    app.use(text({ type: ['text/plain', 'text/csv', 'application/x-ndjson', 'application/jsonl'], limit: '50mb' }));
    // Several gateways over one Postgres share socket.io rooms, so a reply reaches its client on any of them.
    app.useWebSocketAdapter(
      new ClusterIoAdapter(app, {
        postgresUrl:
          config.socketAdapter.kind === 'postgres' && config.database.kind === 'postgres'
            ? config.database.url
            : undefined,
        redisUrl: config.socketAdapter.kind === 'redis' ? config.socketAdapter.url : undefined,
        logger,
      }),
    );
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.enableShutdownHooks();
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Zhibing')
        .setDescription('Knowledge-grounded virtual personas: admin and OpenAI-compatible API')
        .setVersion(version)
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });

    const workspaceId = await ensureWorkspace(dataSource);
    const generatedAdminKey = await app.get(ApiKeysService).ensureRootKey(workspaceId, config.adminKey);
    return { app, dataSource, logger, generatedAdminKey };
  } catch (error) {
    await closeDatabase(dataSource).catch(() => undefined);
    throw error;
  }
}
