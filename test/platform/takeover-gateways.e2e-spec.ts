import { connectChat } from '../support/chat-client';
import { TEST_ADMIN_KEY } from '../support/test-app';
import { twoGateways } from '../support/two-gateways';

/** The visitor on one gateway, the operator on another: take-over events cross through the shared rooms. */
describe('take-over across two gateways over one Postgres database', () => {
  const gateways = twoGateways();

  it('the operator on B hears the visitor on A, answers, and hands back', async () => {
    // Past the start-up window: from here on the gateways rely on having heard each other (see many-gateways).
    await gateways.settled();
    const visitor = await connectChat(gateways.a.url, { key: TEST_ADMIN_KEY });
    const operator = await connectChat(gateways.b.url, { key: TEST_ADMIN_KEY });
    gateways.clients.push(visitor, operator);
    const conversationId = (await visitor.request('session.start', { personaId: 'hua-zhibing' })).data
      .conversationId as string;
    expect((await operator.request('operator.join', { conversationId })).ok).toBe(true);
    const post = (url: string, path: string, body?: unknown) =>
      fetch(`${url}/v1/conversations/${conversationId}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    expect((await post(gateways.b.url, 'takeover', { operatorName: '王强' })).status).toBe(200);
    await visitor.waitFor('conversation.takeover', (p) => p.operatorName === '王强');
    const asked = await visitor.request('message', { conversationId, clientMessageId: 'm-1', text: '有人吗？' });
    await operator.waitFor('visitor.message', (p) => p.turnId === asked.data.turnId);
    const sent = await operator.request('operator.message', { conversationId, clientMessageId: 'o-1', text: '在的。' });
    const end = await visitor.waitFor('reply.end', (p) => p.turnId === sent.data.turnId);
    expect(end).toMatchObject({ text: '在的。', from: { kind: 'operator', name: '王强' } });
    expect(visitor.events.filter((e) => e.event === 'reply.start' && e.payload.replyTo === asked.data.turnId)).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ from: { kind: 'operator', name: '王强' } }) }),
    ]);

    expect((await post(gateways.a.url, 'handback')).status).toBe(200);
    await operator.waitFor('conversation.handback');
    const { end: persona } = await visitor.ask(conversationId, 'm-2', '谷爱凌是谁？');
    expect(persona.from).toBeUndefined();
    expect(persona.text).toContain('自由式滑雪');
  });
});
