import { conversationSearchBench } from './conversation-search.bench';
import { documentsBench } from './documents.bench';
import { embedderBench } from './embedder.bench';
import { engineBench } from './engine.bench';
import { engineEdgeBench } from './engine-edge.bench';
import { engineMoeBench } from './engine-moe.bench';
import { engineOverheadBench } from './engine-overhead.bench';
import { hfBuildMemoryBench } from './hf-build-memory.bench';
import { knowledgeBench } from './knowledge.bench';
import { knowledgeIndexBench } from './knowledge-index.bench';
import { loadBench } from './load.bench';
import { moeGraphBench } from './moe-graph.bench';
import { pipelineBench } from './pipeline.bench';
import { scenarioBench } from './scenario.bench';
import { streamingBench } from './streaming.bench';
import { turnCostBench } from './turn-cost.bench';

/** A benchmark: prints its figures (and a same-run baseline) to stdout. */
export interface Bench {
  name: string;
  run(): Promise<void>;
  /** Run only when named (`npm run bench <name>`): it takes minutes or gigabytes. */
  optIn?: boolean;
}

/** The registry of benchmarks; each bench file adds one line here. */
export const benches: Bench[] = [
  knowledgeBench,
  pipelineBench,
  engineBench,
  engineOverheadBench,
  engineEdgeBench,
  engineMoeBench,
  moeGraphBench,
  embedderBench,
  hfBuildMemoryBench,
  knowledgeIndexBench,
  loadBench,
  streamingBench,
  documentsBench,
  conversationSearchBench,
  turnCostBench,
  scenarioBench,
];
