import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DatabaseTarget } from '@zhibing/storage';
import { TEST_ADMIN_KEY } from '../support/test-app';
import type { TestDatabase } from '../support/test-databases';

/** A scenario for tests: a prompt, a chat with a countdown, suggestions and an end button, an end phase. */
export const testFlow = (seconds: number) => ({
  intents: { end: ['结束吧', '再见'] },
  phases: [
    { id: 'intro', kind: 'prompt', say: '你好！请先简单介绍一下你自己。' },
    {
      id: 'qa',
      kind: 'chat',
      title: '答疑环节',
      say: '谢谢介绍。有什么问题可以问我，还剩 {{remaining}}。',
      timer: { seconds, then: 'close' },
      suggestions: ['大厦几点开门？', '有停车场吗？'],
      endButton: '结束',
    },
    { id: 'close', kind: 'prompt', say: '时间到了，谢谢你的参与，再见！', end: true },
  ],
});

const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' };

/** Stores persona `id`: the shipped front desk (its knowledge answers the chat phase) with `flow`. */
export async function putScenarioPersona(url: string, id: string, flow: unknown): Promise<void> {
  const frontDesk = (await (await fetch(`${url}/v1/personas/front-desk`, { headers })).json()) as {
    persona: Record<string, unknown>;
  };
  const response = await fetch(`${url}/v1/personas/${id}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ ...frontDesk.persona, id, scenario: 'chat', flow }),
  });
  if (!response.ok) throw new Error(`PUT persona ${id}: ${response.status} ${await response.text()}`);
}

/**
 * The same database for every gateway started on it (a restart), dropped by `dropAll`: a PGlite
 * folder instead of memory, or one Postgres database created once.
 */
export function keptDatabase(database: TestDatabase): TestDatabase & { dropAll(): Promise<void> } {
  let target: Promise<DatabaseTarget> | undefined;
  const dir = database.name === 'pglite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-scenario-')) : undefined;
  return {
    name: database.name,
    create: () =>
      (target ??= dir ? Promise.resolve({ kind: 'pglite', dataDir: dir } as DatabaseTarget) : database.create()),
    drop: async () => undefined,
    async dropAll() {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      else await database.drop();
    },
  };
}
