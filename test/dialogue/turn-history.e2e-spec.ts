import * as path from 'node:path';
import { DialogueService, HISTORY_WINDOW, RetrievalResponder, selectHistory } from '@zhibing/dialogue';
import { HashingEmbedder, KnowledgeService } from '@zhibing/knowledge';
import { loadPersonaFiles, PersonaRepository, syncPersonas } from '@zhibing/persona';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { QueryCounter } from '../support/query-counter';
import { testDatabases } from '../support/test-databases';

const ROOT = path.join(__dirname, '..', '..');
const nullSink = { emit: () => undefined };
const responder = new RetrievalResponder();
const countTokens = (text: string) => responder.countTokens(text);

/** 华智冰 questions: knowledge hits, chit-chat, a repeat and things she does not know. */
const QUESTIONS = [
  '谷爱凌是谁？',
  '我想学滑雪',
  '冰墩墩是什么？',
  '你喜欢写诗吗？',
  '你是谁',
  '你在哪里上学？',
  '清华大学在哪？',
  '它是哪一年建校的？',
  '你会弹钢琴吗？',
  '北京冬奥会是什么时候举办的？',
  '谷爱凌是谁？',
  '今天天气怎么样？',
];

interface TraceShape {
  keptHistory: { turnId: string; score: number }[];
  grounding: { itemIds: string[] };
}

describe.each(testDatabases())('a turn reads a bounded window of stored history on $name', (database) => {
  let db: DataSource;
  let knowledge: KnowledgeService;
  let personas: PersonaRepository;
  let workspaceId: string;
  let counter: QueryCounter;

  beforeAll(async () => {
    db = await openDatabase(await database.create());
    counter = new QueryCounter(db);
    knowledge = new KnowledgeService(db);
    personas = new PersonaRepository(db);
    workspaceId = await ensureWorkspace(db);
    await syncPersonas(workspaceId, loadPersonaFiles(path.join(ROOT, 'persona')), personas, knowledge);
  }, 60_000);
  afterAll(async () => {
    counter?.detach();
    if (db) await closeDatabase(db);
    await database.drop();
  });

  /** A dialogue service; lookups cached for the test's length, so every turn sends what a warm turn sends. */
  const service = (options: { historyBudget?: number; knowledge?: KnowledgeService } = {}) =>
    new DialogueService(db, options.knowledge ?? knowledge, personas, responder, {
      lookupCacheMs: 600_000,
      historyBudget: options.historyBudget,
    });
  const caller = () => ({ workspaceId, channel: 'test' });
  let sent = 0;
  const send = async (dialogue: DialogueService, conversationId: string, text: string) => {
    const accepted = await dialogue.sendMessage(
      caller(),
      { conversationId, clientMessageId: `m-${sent++}`, text },
      nullSink,
    );
    await dialogue.whenIdle();
    const reply = await dialogue.conversations.replyTo(accepted.turnId);
    return { userTurnId: accepted.turnId, reply: reply!, trace: reply!.trace as unknown as TraceShape };
  };
  const converse = async (dialogue: DialogueService, exchanges: number) => {
    const { conversationId } = await dialogue.startSession(caller(), { personaId: 'hua-zhibing' });
    for (let i = 0; i < exchanges; i++) await send(dialogue, conversationId, QUESTIONS[i % QUESTIONS.length]);
    return conversationId;
  };

  it('sends the same four SQL statements after 1 exchange as after more than a window of them', async () => {
    const dialogue = service();
    const short = await converse(dialogue, 1);
    const long = await converse(dialogue, HISTORY_WINDOW + 8);
    const atShort = await counter.during(() => send(dialogue, short, '冰墩墩是什么？'));
    const atLong = await counter.during(() => send(dialogue, long, '冰墩墩是什么？'));
    // The turn, and only it: the conversation, the message and its reply opened, the history window,
    // the reply closed (the lookup after `whenIdle` is the test's own).
    const turnOf = (statements: string[]) => statements.slice(0, -1);
    expect(turnOf(atShort.statements)).toHaveLength(4);
    expect(turnOf(atLong.statements)).toEqual(turnOf(atShort.statements));
  });

  it('stores with each reply the exchange as selection scores it: its vector, token count and recall', async () => {
    const dialogue = service();
    const conversationId = await converse(dialogue, 0);
    const { reply, trace } = await send(dialogue, conversationId, '谷爱凌是谁？');
    const [row] = await db.query(
      `SELECT exchange_embedding, exchange_embedder, exchange_tokens, exchange_tokenizer, recall FROM turns WHERE id = $1`,
      [reply.id],
    );
    const [expected] = await knowledge.embedder.embed([`谷爱凌是谁？${reply.text}`]);
    expect(row.exchange_embedder).toBe(knowledge.embedder.id);
    expect(new Float32Array(new Uint8Array(row.exchange_embedding).buffer)).toEqual(expected);
    expect(row.exchange_tokens).toBe(countTokens('谷爱凌是谁？') + countTokens(reply.text));
    expect(row.exchange_tokenizer).toBe(responder.name);
    expect(trace.grounding.itemIds.length).toBeGreaterThan(0);
    expect(row.recall.itemIds).toEqual(trace.grounding.itemIds);
    expect(row.recall.qa.map((k: { question: string }) => k.question)).toEqual(['谷爱凌是谁？']);
  });

  it('keeps exactly the history XDAI selection keeps over the whole conversation, within the window', async () => {
    const dialogue = service({ historyBudget: 160 });
    const conversationId = await converse(dialogue, QUESTIONS.length);
    const { userTurnId, trace } = await send(dialogue, conversationId, '谷爱凌是哪里出生的？');
    const all = await dialogue.conversations.turns(conversationId);
    const turns = all.filter((t) => t.seq < all.find((u) => u.id === userTurnId)!.seq);
    const replies = new Map(turns.filter((t) => t.role === 'persona').map((t) => [t.replyTo, t]));
    const exchanges = turns
      .filter((t) => t.role === 'user')
      .map((u, index) => ({ id: replies.get(u.id)!.id, user: u.text, persona: replies.get(u.id)!.text, index }));
    // From scratch: a fresh embedder instance (no cache), every exchange embedded and counted now.
    const expected = await selectHistory(exchanges, '谷爱凌是哪里出生的？', {
      budget: 160,
      countTokens,
      embedder: new HashingEmbedder(),
    });
    expect(expected.length).toBeLessThan(exchanges.length);
    expect(trace.keptHistory).toEqual(expected.map((e) => ({ turnId: e.id, score: Number(e.score.toFixed(6)) })));
  });

  /** The kept history of a trace as positions in the conversation (seq) and scores. */
  const keptBySeq = async (dialogue: DialogueService, conversationId: string, trace: TraceShape) => {
    const seqs = new Map((await dialogue.conversations.turns(conversationId)).map((t) => [t.id, t.seq]));
    return trace.keptHistory.map((k) => [seqs.get(k.turnId), k.score]);
  };

  it('turns from before stored features: computed on first use, stored once, the same history kept', async () => {
    const dialogue = service({ historyBudget: 160 });
    const current = await converse(dialogue, QUESTIONS.length);
    const older = await converse(dialogue, QUESTIONS.length);
    // As a conversation written before the migration left it: no counters, no stored features.
    await db.query(
      `UPDATE turns SET user_index = NULL, recall = NULL, exchange_embedding = NULL, exchange_embedder = NULL,
         exchange_tokens = NULL, exchange_tokenizer = NULL WHERE conversation_id = $1`,
      [older],
    );
    await db.query(`UPDATE conversations SET last_seq = NULL, user_turns = NULL WHERE id = $1`, [older]);

    const expected = await send(dialogue, current, '谷爱凌是哪里出生的？');
    const first = await counter.during(() => send(dialogue, older, '谷爱凌是哪里出生的？'));
    expect(first.result.reply.text).toBe(expected.reply.text);
    expect(await keptBySeq(dialogue, older, first.result.trace)).toEqual(
      await keptBySeq(dialogue, current, expected.trace),
    );
    // Numbering goes on from the stored turns; the message knows the 12 user turns before it.
    const [message] = await db.query(`SELECT seq, user_index FROM turns WHERE id = $1`, [first.result.userTurnId]);
    expect(message).toEqual({ seq: 2 * QUESTIONS.length + 1, user_index: QUESTIONS.length });
    // One statement more than a warm turn: what was computed is stored ...
    expect(first.statements.slice(0, -1)).toHaveLength(5);
    const [stored] = await db.query(
      `SELECT count(*)::int AS n FROM turns WHERE conversation_id = $1 AND role = 'persona'
         AND exchange_embedder = $2 AND exchange_tokenizer = $3 AND recall IS NOT NULL`,
      [older, knowledge.embedder.id, responder.name],
    );
    expect(stored.n).toBe(QUESTIONS.length + 1);
    // ... so the next turn computes nothing.
    const next = await counter.during(() => send(dialogue, older, '她是哪年出生的？'));
    expect(next.statements.slice(0, -1)).toHaveLength(4);
  });

  it('never compares vectors of two embedders: after a change of embedder they are recomputed and replaced', async () => {
    const conversationId = await converse(service({ historyBudget: 160 }), 6);
    const narrow = new HashingEmbedder(128);
    const switched = service({ historyBudget: 160, knowledge: new KnowledgeService(db, { embedder: narrow }) });
    const { userTurnId, trace } = await send(switched, conversationId, '谷爱凌是哪里出生的？');

    const all = await switched.conversations.turns(conversationId);
    const replies = new Map(all.filter((t) => t.role === 'persona').map((t) => [t.replyTo, t]));
    const exchanges = all
      .filter((t) => t.role === 'user' && t.id !== userTurnId)
      .map((u, index) => ({ id: replies.get(u.id)!.id, user: u.text, persona: replies.get(u.id)!.text, index }));
    const expected = await selectHistory(exchanges, '谷爱凌是哪里出生的？', {
      budget: 160,
      countTokens,
      embedder: new HashingEmbedder(128),
    });
    expect(trace.keptHistory).toEqual(expected.map((e) => ({ turnId: e.id, score: Number(e.score.toFixed(6)) })));
    const rows = await db.query(
      `SELECT exchange_embedder, length(exchange_embedding) AS bytes FROM turns
       WHERE conversation_id = $1 AND role = 'persona' ORDER BY seq`,
      [conversationId],
    );
    expect(rows).toEqual(rows.map(() => ({ exchange_embedder: narrow.id, bytes: 128 * 4 })));
  });
});
