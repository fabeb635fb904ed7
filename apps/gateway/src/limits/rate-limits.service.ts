import { Inject, Injectable } from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import { ZhibingError } from '@zhibing/protocol';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ZHIBING_CONFIG } from '../config/config.module';
import { clientAddress, compileTrustProxy, type TrustProxy } from './client-address';
import type { IncomingMessage } from 'node:http';

/** A limit was reached: the answer says when to try again (HTTP 429 with Retry-After, or a socket error). */
export class RateLimitedError extends ZhibingError {
  constructor(
    code: 'auth_rate_limited' | 'session_rate_limited' | 'message_rate_limited',
    what: string,
    readonly retryAfterMs: number,
  ) {
    super(code, `Too many ${what}: try again in ${Math.ceil(retryAfterMs / 1000)} s`, { retryAfterMs });
  }
}

const perMinute = (points: number) => (points > 0 ? new RateLimiterMemory({ points, duration: 60 }) : null);

/**
 * Limits on public traffic, per process (each gateway counts its own clients): wrong keys per
 * client IP (a client past the limit is refused before its key is even checked), and widget
 * sessions and messages per widget key and IP — widget keys are public by design, admin keys are
 * trusted and not limited.
 */
@Injectable()
export class RateLimitsService {
  private readonly authFailures: RateLimiterMemory | null;
  private readonly sessions: RateLimiterMemory | null;
  private readonly messages: RateLimiterMemory | null;
  /** ZHIBING_TRUST_PROXY, compiled; Express's `trust proxy` is set to it, so REST and sockets agree. */
  readonly trustProxy: TrustProxy;

  constructor(@Inject(ZHIBING_CONFIG) config: ZhibingConfig) {
    this.trustProxy = compileTrustProxy(config.trustProxy);
    this.authFailures = perMinute(config.limits.authFailuresPerMinute);
    this.sessions = perMinute(config.limits.widgetSessionsPerMinute);
    this.messages = perMinute(config.limits.widgetMessagesPerMinute);
  }

  /** The address per-IP limits count a socket handshake (or any request) against. */
  clientAddress(request: IncomingMessage): string {
    return clientAddress(request, this.trustProxy);
  }

  /** Refuses a client IP that has sent too many wrong keys in the last minute. */
  async assertAuthAllowed(ip: string): Promise<void> {
    const used = await this.authFailures?.get(ip);
    if (used && used.remainingPoints <= 0)
      throw new RateLimitedError('auth_rate_limited', 'failed authentications', used.msBeforeNext);
  }

  /** Counts a wrong or missing key from `ip`. */
  async recordAuthFailure(ip: string): Promise<void> {
    await this.take(this.authFailures, ip, 'auth_rate_limited', 'failed authentications').catch((error: unknown) => {
      // Reaching the limit here is what the next attempt's assertAuthAllowed will refuse.
      if (!(error instanceof RateLimitedError)) throw error;
    });
  }

  takeSession(keyId: string, ip: string): Promise<void> {
    return this.take(this.sessions, `${keyId}|${ip}`, 'session_rate_limited', 'new sessions');
  }

  takeMessage(keyId: string, ip: string): Promise<void> {
    return this.take(this.messages, `${keyId}|${ip}`, 'message_rate_limited', 'messages');
  }

  private async take(
    limiter: RateLimiterMemory | null,
    key: string,
    code: 'auth_rate_limited' | 'session_rate_limited' | 'message_rate_limited',
    what: string,
  ): Promise<void> {
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the points are spent.
      if (rejection instanceof RateLimiterRes) throw new RateLimitedError(code, what, rejection.msBeforeNext);
      throw rejection;
    }
  }
}
