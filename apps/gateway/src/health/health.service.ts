import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { migrationStatus } from '@zhibing/storage';
import { DataSource } from 'typeorm';
import { ZHIBING_CONFIG } from '../config/config.module';
import { HealthRegistry } from './health-registry';
import { version } from './version';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  uptimeSeconds: number;
  database: {
    kind: 'pglite' | 'postgres';
    reachable: boolean;
    latencyMs?: number;
    migrations?: { applied: number; pending: string[] };
    error?: string;
  };
  components: Record<string, unknown>;
}

/** /health is public: it says what is wrong, never the raw error (addresses, SQL); the log has that. */
const DATABASE_UNREACHABLE = 'the database cannot be reached (details in the gateway log)';
const CHECK_FAILED = 'the check failed (details in the gateway log)';

@Injectable()
export class HealthService {
  private readonly logger = new Logger('Health');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(ZHIBING_CONFIG) private readonly config: ZhibingConfig,
    private readonly registry: HealthRegistry,
  ) {}

  async report(): Promise<HealthReport> {
    const database = await this.database();
    const components: Record<string, unknown> = {};
    let status: HealthReport['status'] =
      database.reachable && database.migrations?.pending.length === 0 ? 'ok' : 'down';
    for (const [name, contributor] of this.registry.entries()) {
      const part = await contributor.check().catch((error: Error) => {
        this.logger.error({ err: error, component: name }, 'health check failed');
        return { status: 'down' as const, error: CHECK_FAILED };
      });
      components[name] = part;
      if (part.status !== 'ok' && status === 'ok') status = 'degraded';
    }
    return { status, version, uptimeSeconds: Math.round(process.uptime()), database, components };
  }

  private async database(): Promise<HealthReport['database']> {
    const kind = this.config.database.kind;
    const started = performance.now();
    try {
      await this.db.query('SELECT 1');
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const migrations = await migrationStatus(this.db);
      return {
        kind,
        reachable: true,
        latencyMs,
        migrations: { applied: migrations.applied.length, pending: migrations.pending },
      };
    } catch (error) {
      this.logger.error({ err: error }, 'database unreachable');
      return { kind, reachable: false, error: DATABASE_UNREACHABLE };
    }
  }
}
