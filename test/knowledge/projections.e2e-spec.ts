import {
  KnowledgeService,
  Neo4jGraphAdapter,
  PostgresGraphAdapter,
  PostgresVectorAdapter,
  QdrantVectorAdapter,
} from '@zhibing/knowledge';
import { closeDatabase, ensureWorkspace, openDatabase } from '@zhibing/storage';
import type { DataSource } from 'typeorm';
import { type TestDatabase, testDatabases } from '../support/test-databases';
import { graphIndexContract } from './graph-index.contract';
import { vectorIndexContract } from './vector-index.contract';

const FACTS = [
  '故宫|门票|旺季60元，淡季40元。',
  '故宫|周边景点|天坛',
  '天坛|门票|旺季15元',
  '故宫|Information|明清两代的皇宫',
];

/** A database with two knowledge bases and a few stored items, for the contract suites. */
async function seeded(db: DataSource) {
  const service = new KnowledgeService(db);
  const workspaceId = await ensureWorkspace(db);
  const triples = FACTS.map((f) => f.split('|'))
    .map(([head, relation, tail]) => JSON.stringify({ head, relation, tail }))
    .join('\n');
  const a = await service.importFile(workspaceId, 'contract-a', 'triples', triples);
  const b = await service.importFile(workspaceId, 'contract-b', 'qa', '{"question":"q","answer":"a"}');
  const items = await service.repository.listItems(a.knowledgeBase.id, { limit: 10, offset: 0 });
  return { kbA: a.knowledgeBase.id, kbB: b.knowledgeBase.id, items };
}

type Seed = Awaited<ReturnType<typeof seeded>>;

/** A fresh, seeded database for the suites declared after it (opened before, closed after). */
function useSeededDatabase(database: TestDatabase): { db: DataSource; seed: Seed } {
  const ctx = {} as { db: DataSource; seed: Seed };
  beforeAll(async () => {
    ctx.db = await openDatabase(await database.create());
    ctx.seed = await seeded(ctx.db);
  });
  afterAll(async () => {
    if (ctx.db) await closeDatabase(ctx.db);
    await database.drop();
  });
  return ctx;
}

const ids = (seed: Seed) => seed.items.map((i) => i.id);
const facts = (seed: Seed) =>
  seed.items
    .filter((i) => i.kind === 'fact')
    .map((i) => ({ id: i.id, head: i.head!, relation: i.relation!, tail: i.tail! }));

describe.each(testDatabases())('Postgres projections on $name', (database) => {
  const ctx = useSeededDatabase(database);
  describe('vector index', () => {
    vectorIndexContract(async () => ({
      index: new PostgresVectorAdapter(ctx.db),
      kbA: ctx.seed.kbA,
      kbB: ctx.seed.kbB,
      ids: ids(ctx.seed),
    }));
  });
  describe('graph index', () => {
    graphIndexContract(async () => ({
      graph: new PostgresGraphAdapter(ctx.db),
      kb: ctx.seed.kbA,
      facts: facts(ctx.seed),
    }));
  });
});

// Qdrant and Neo4j servers cannot be installed on these machines (no apt or npm package); these
// suites run wherever QDRANT_URL / NEO4J_URL point at one. They are declared, not skipped, only then.
const qdrantUrl = process.env.QDRANT_URL;
const neo4jUrl = process.env.NEO4J_URL;
if (qdrantUrl || neo4jUrl) {
  describe('external projections', () => {
    const ctx = useSeededDatabase(testDatabases()[0]);
    if (qdrantUrl) {
      describe('Qdrant vector index', () => {
        vectorIndexContract(async () => ({
          index: new QdrantVectorAdapter({ url: qdrantUrl }),
          kbA: ctx.seed.kbA,
          kbB: ctx.seed.kbB,
          ids: ids(ctx.seed),
        }));
      });
    }
    if (neo4jUrl) {
      describe('Neo4j graph index', () => {
        graphIndexContract(async () => ({
          graph: new Neo4jGraphAdapter({
            url: neo4jUrl,
            user: process.env.NEO4J_USER,
            password: process.env.NEO4J_PASSWORD,
          }),
          kb: ctx.seed.kbA,
          facts: facts(ctx.seed),
        }));
      });
    }
  });
}
