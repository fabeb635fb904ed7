import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/** Request headers that carry secrets: never written to the log. */
export const REDACTED_HEADERS = ['authorization', 'cookie', 'x-api-key', 'api-key'];

/** The process-wide structured JSON logger; secrets in logged requests are replaced by "[redacted]". */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'zhibing' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_HEADERS.map((h) => `req.headers["${h}"]`), censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes Nest's own logging into pino so every line is JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: pino.Level, message: unknown, context?: string, trace?: string): void {
    if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.logger[level]({ context, ...rest, ...(trace ? { trace } : {}) }, typeof msg === 'string' ? msg : undefined);
    } else {
      this.logger[level]({ context, ...(trace ? { trace } : {}) }, String(message));
    }
  }
}
