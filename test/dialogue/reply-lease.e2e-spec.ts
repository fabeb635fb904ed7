import { ConversationRepository } from '@zhibing/dialogue';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { testDatabases } from '../support/test-databases';

/** A starting or sweeping process interrupts only replies whose writer is gone (no heartbeat for the lease). */
describe.each(testDatabases())('reply leases on $name', (database) => {
  let db: DataSource;
  let conversations: ConversationRepository;

  beforeAll(async () => {
    db = await openDatabase(await database.create());
    conversations = new ConversationRepository(db);
  });
  afterAll(async () => {
    if (db) await closeDatabase(db);
    await database.drop();
  });

  it('interrupts the silent reply, and leaves those still beating or just opened', async () => {
    const workspaceId = await ensureWorkspace(db);
    const conversation = await conversations.create({
      workspaceId,
      personaId: 'front-desk',
      personaVersion: 1,
      channel: 'test',
    });
    const open = async (n: number) => {
      const { turn } = await conversations.addUserTurn(conversation.id, `m${n}`, `问题${n}`);
      return conversations.openReply(conversation.id, turn.id);
    };
    const [gone, beating, fresh] = [await open(1), await open(2), await open(3)];
    await conversations.saveProgress(gone.id, '说到一半');
    await db.query(
      `UPDATE turns SET heartbeat_at = now() - interval '2 minutes', created_at = now() - interval '3 minutes' WHERE id = $1`,
      [gone.id],
    );
    await db.query(`UPDATE turns SET created_at = now() - interval '3 minutes' WHERE id = $1`, [beating.id]);
    await conversations.heartbeat(beating.id);

    expect(await conversations.interruptAbandonedReplies(30)).toBe(1);
    const status = async (id: string) => (await db.query(`SELECT status, text FROM turns WHERE id = $1`, [id]))[0];
    expect(await status(gone.id)).toEqual({ status: 'interrupted', text: '说到一半' });
    expect((await status(beating.id)).status).toBe('streaming');
    expect((await status(fresh.id)).status).toBe('streaming');
  });
});
