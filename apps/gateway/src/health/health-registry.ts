import { Injectable } from '@nestjs/common';

/** One part of the platform's health, e.g. the engine or a projection store. */
export interface HealthContributor {
  /** `ok`: working; `degraded`: working on a fallback (says why); `down`: not working. */
  check(): Promise<{ status: 'ok' | 'degraded' | 'down'; [detail: string]: unknown }>;
}

/** Modules register what /health should report about them; the health service asks each. */
@Injectable()
export class HealthRegistry {
  private readonly contributors = new Map<string, HealthContributor>();

  register(name: string, contributor: HealthContributor): void {
    this.contributors.set(name, contributor);
  }

  entries(): [string, HealthContributor][] {
    return [...this.contributors.entries()];
  }
}
