import * as path from 'node:path';
import { DialogueService, RetrievalResponder, TakeoverService } from '@zhibing/dialogue';
import { KnowledgeService } from '@zhibing/knowledge';
import { loadPersonaFiles, PersonaRepository } from '@zhibing/persona';
import { type Persona, personaSchema, type ServerEvents } from '@zhibing/protocol';
import { defaultPhaseHandlers, type PhaseHandler } from '@zhibing/scenario';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { testDatabases } from '../support/test-databases';

const ROOT = path.join(__dirname, '..', '..');

/** Stand-ins for the front desk's handlers: a one-message form that stores a record, a hand-off. */
const formPhase: PhaseHandler = {
  kind: 'form',
  enter: async (phase) => ({ data: {}, directive: { answer: false, say: [phase.say ?? ''] } }),
  message: async (_phase, data, text) => ({
    data: { ...data, name: text },
    directive: { answer: false, say: [] },
    records: [{ kind: 'visit', data: { name: text } }],
    done: true,
  }),
};
const handoffPhase: PhaseHandler = {
  kind: 'handoff',
  enter: async (phase) => ({
    data: {},
    directive: { answer: false, say: [phase.say ?? ''] },
    handoff: { reason: '访客要求人工服务' },
  }),
  message: async (_phase, data) => ({ data, directive: { answer: false, say: ['正在为您联系工作人员，请稍等。'] } }),
  view: () => ({ waitingForOperator: true }),
};

const deskFlow = {
  intents: { human: ['人工'] },
  on: { human: 'ask' },
  phases: [
    {
      id: 'register',
      kind: 'form',
      say: '请问您怎么称呼？',
      slots: [{ name: 'name', label: '姓名', ask: '请问您怎么称呼？' }],
    },
    { id: 'chat', kind: 'chat', say: '登记好了，还有什么可以帮您？' },
    { id: 'ask', kind: 'handoff', say: '好的，正在为您转接人工。', next: 'chat' },
  ],
};
const stepsFlow = {
  phases: ['one', 'two', 'three', 'four'].map((id) => ({ id, kind: 'prompt', say: `第${id}步` })),
};

class RecordingSink {
  readonly events: { event: string; payload: any }[] = [];
  emit<E extends keyof ServerEvents>(event: E, payload: ServerEvents[E]): void {
    this.events.push({ event, payload });
  }
  of(event: string) {
    return this.events.filter((e) => e.event === event).map((e) => e.payload);
  }
}

describe.each(testDatabases())('scenario records, hand-off and concurrent steps on $name', (database) => {
  let db: DataSource;
  let dialogue: DialogueService;
  let takeover: TakeoverService;
  let workspaceId: string;
  const operators = new RecordingSink();
  const caller = () => ({ workspaceId, channel: 'test' });

  beforeAll(async () => {
    db = await openDatabase(await database.create());
    const personas = new PersonaRepository(db);
    workspaceId = await ensureWorkspace(db);
    const frontDesk = loadPersonaFiles(path.join(ROOT, 'persona')).find((p) => p.id === 'front-desk')!;
    const save = (id: string, flow: unknown) =>
      personas.save(workspaceId, personaSchema.parse({ ...frontDesk, id, flow }) as Persona);
    await save('desk-test', deskFlow);
    await save('steps-test', stepsFlow);
    const handlers = new Map([...defaultPhaseHandlers(), ['form', formPhase], ['handoff', handoffPhase]] as const);
    dialogue = new DialogueService(db, new KnowledgeService(db), personas, new RetrievalResponder(), {
      phaseHandlers: handlers,
    });
    dialogue.scenarios.useOperatorsSink(() => operators);
    takeover = new TakeoverService(db, dialogue);
  }, 60_000);
  afterAll(async () => {
    await dialogue?.shutdown();
    if (db) await closeDatabase(db);
    await database.drop();
  });

  const send = async (conversationId: string, id: string, text: string, sink: RecordingSink) => {
    const accepted = await dialogue.sendMessage(caller(), { conversationId, clientMessageId: id, text }, sink);
    await dialogue.whenIdle();
    return accepted;
  };

  it('stores a record with its turn; a hand-off request reaches operators; take-over, hand-back move on', async () => {
    const room = new RecordingSink();
    const started = await dialogue.startSession(caller(), { personaId: 'desk-test' });
    expect(started.greeting).toBe('请问您怎么称呼？');
    const { conversationId } = started;

    const named = await send(conversationId, 'm-1', '张三', room);
    const records = await db.query(`SELECT * FROM scenario_records WHERE conversation_id = $1`, [conversationId]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      workspace_id: workspaceId,
      persona_slug: 'desk-test',
      kind: 'visit',
      data: { name: '张三' },
      turn_id: named.turnId,
    });
    expect(room.of('reply.end').at(-1).text).toBe('登记好了，还有什么可以帮您？');

    await send(conversationId, 'm-2', '我要找人工', room);
    expect(room.of('reply.end').at(-1).text).toBe('好的，正在为您转接人工。');
    expect(room.of('scenario.state').at(-1).scenario).toMatchObject({ phase: 'ask', waitingForOperator: true });
    const [requested] = operators.of('handoff.requested');
    expect(requested).toEqual({
      conversationId,
      personaId: 'desk-test',
      reason: '访客要求人工服务',
      at: expect.any(String),
    });
    const row = async () =>
      (
        await db.query(`SELECT handoff_requested_at, handoff_reason FROM conversations WHERE id = $1`, [conversationId])
      )[0];
    expect(new Date((await row()).handoff_requested_at).toISOString()).toBe(requested.at);

    await takeover.takeOver(workspaceId, conversationId, { keyId: 'k-1', name: '王经理' }, room);
    expect(await row()).toEqual({ handoff_requested_at: null, handoff_reason: null });
    // The widget stops showing "waiting for a person": one has come.
    const shown = room.of('scenario.state').at(-1).scenario;
    expect(shown).toMatchObject({ phase: 'ask' });
    expect(shown.waitingForOperator).toBeUndefined();
    // While a person holds it, a message is theirs to answer: the scenario does not move.
    await send(conversationId, 'm-3', '你好，在吗？', room);
    const held = (await dialogue.conversations.require(workspaceId, conversationId)).scenario!;
    expect(held.phase).toBe('ask');

    const before = room.events.length;
    await takeover.handBack(workspaceId, conversationId, room);
    await dialogue.whenIdle();
    const after = room.events.slice(before);
    expect(after.find((e) => e.event === 'scenario.state')?.payload.scenario).toMatchObject({ phase: 'chat' });
    const line = after.find((e) => e.event === 'reply.end')!.payload;
    expect(line.text).toBe('登记好了，还有什么可以帮您？');
    const turn = await dialogue.conversations.turn(line.turnId);
    expect(turn).toMatchObject({ role: 'persona', status: 'complete' });
    expect(turn!.trace).toMatchObject({ scenario: { phase: 'chat', from: 'ask', to: 'chat', by: 'done' } });
  });

  it('two steps racing from the same read state are both applied in turn (version check and retry)', async () => {
    const { conversationId } = await dialogue.startSession(caller(), { personaId: 'steps-test' });
    const conversation = await dialogue.conversations.require(workspaceId, conversationId);
    const persona = personaSchema.parse({
      ...loadPersonaFiles(path.join(ROOT, 'persona')).find((p) => p.id === 'front-desk')!,
      id: 'steps-test',
      flow: stepsFlow,
    }) as Persona;
    const runtime = dialogue.scenarios.runtime;
    const steps = await Promise.all([
      runtime.step(conversation, persona, { type: 'message', text: 'a' }),
      runtime.step(conversation, persona, { type: 'message', text: 'b' }),
    ]);
    const stored = (await dialogue.conversations.require(workspaceId, conversationId)).scenario!;
    expect(stored.phase).toBe('three');
    expect(stored.version).toBe(conversation.scenario!.version + 2);
    expect(stored.path.map((p) => p.phase)).toEqual(['one', 'two', 'three']);
    expect(steps.map((s) => s!.transition?.to).sort()).toEqual(['three', 'two']);
  });
});
