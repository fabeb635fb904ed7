import { connectChat, type ChatClient } from '../support/chat-client';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process';
import { queryOnce } from '../support/query-once';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { testDatabases } from '../support/test-databases';
import { putScenarioPersona, testFlow } from './scenario-persona';

/** Scenario timers with real gateway processes on the Postgres server: kill -9, then two gateways race. */
describe('scenario timers across gateway processes (Postgres server)', () => {
  const database = testDatabases()[1];
  const clients: ChatClient[] = [];
  const gateways: GatewayProcess[] = [];
  let url: string;

  beforeAll(async () => {
    const target = await database.create();
    if (target.kind !== 'postgres') throw new Error('expected the Postgres server');
    url = target.url;
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const gateway of gateways) await gateway.kill();
    await database.drop();
  });

  it('a timer pending when its gateway is killed fires once, on one of two gateways started after', async () => {
    // Short polls: the two gateways look for due timers ten times a second, so both see this one.
    const env = { DATABASE_URL: url, ZHIBING_SCENARIO_POLL_MS: '100' };
    const first = await startGatewayProcess(env);
    gateways.push(first);
    await putScenarioPersona(first.url, 'scenario-kill', testFlow(3));
    const client = await connectChat(first.url, { key: TEST_ADMIN_KEY });
    clients.push(client);
    const { data } = await client.request('session.start', { personaId: 'scenario-kill' });
    const conversationId = data.conversationId as string;
    const intro = await client.ask(conversationId, 'm-1', '我是钱七');
    expect(intro.end.text).toContain('00:03');
    await first.kill('SIGKILL');

    const [second, third] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
    gateways.push(second, third);
    const visitor = await connectChat(second.url, { key: TEST_ADMIN_KEY });
    clients.push(visitor);
    const resumed = await visitor.request('session.start', { personaId: 'scenario-kill', conversationId });
    expect(resumed.data.scenario.phase).toMatch(/^(qa|close)$/);

    const lines = () =>
      queryOnce(
        url,
        `SELECT id, status FROM turns WHERE conversation_id = $1 AND role = 'persona' AND text LIKE '时间到了%'`,
        [conversationId],
      );
    for (let waited = 0; waited < 20_000 && (await lines()).length === 0; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    // Both gateways go on polling a while longer: the timer must not fire a second time.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const said = await lines();
    expect(said).toHaveLength(1);
    expect(said[0].status).toBe('complete');
    const [row] = await queryOnce(url, `SELECT scenario_state, scenario_due_at FROM conversations WHERE id = $1`, [
      conversationId,
    ]);
    expect(row.scenario_due_at).toBeNull();
    expect(row.scenario_state.path.map((p: { by: string }) => p.by)).toEqual(['start', 'done', 'timer']);
    const last = await visitor.request('session.start', { personaId: 'scenario-kill', conversationId });
    expect(last.data.scenario).toMatchObject({ phase: 'close', ended: true });
  }, 240_000);
});
