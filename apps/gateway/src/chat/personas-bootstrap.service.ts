import * as path from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { DialogueService } from '@zhibing/dialogue';
import { KnowledgeService } from '@zhibing/knowledge';
import { loadPersonaFiles, PersonaRepository, syncPersonas } from '@zhibing/persona';
import { ensureWorkspace } from '@zhibing/storage';
import { DataSource } from 'typeorm';
import { repoRoot } from '../common/repo-root';
import { DIALOGUE } from './dialogue.provider';

/**
 * At start-up: loads the shipped personas (persona/*.yaml) into the default workspace — a new
 * version only when one changed — with their seed knowledge, and starts sweeping replies whose
 * writer is gone (no heartbeat for the lease) into interrupted.
 */
@Injectable()
export class PersonasBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Personas');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    private readonly personas: PersonaRepository,
    private readonly knowledge: KnowledgeService,
    @Inject(DIALOGUE) private readonly dialogue: DialogueService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const workspaceId = await ensureWorkspace(this.db);
    const reports = await syncPersonas(
      workspaceId,
      loadPersonaFiles(path.join(repoRoot(), 'persona')),
      this.personas,
      this.knowledge,
    );
    const interrupted = await this.dialogue.startSweeping((n, error) => {
      if (error) this.logger.error({ err: error }, 'sweeping abandoned replies failed');
      else if (n > 0) this.logger.log({ interruptedReplies: n }, 'replies of a gone writer interrupted');
    });
    this.logger.log(
      {
        personas: reports.map((r) => `${r.id}@v${r.version}${r.created ? ' (new)' : ''}`),
        interruptedReplies: interrupted,
      },
      'personas loaded',
    );
  }
}
