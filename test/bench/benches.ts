import { embedderBench } from './embedder.bench';
import { engineBench } from './engine.bench';
import { knowledgeBench } from './knowledge.bench';
import { moeGraphBench } from './moe-graph.bench';
import { pipelineBench } from './pipeline.bench';

/** A benchmark: prints its figures (and a same-run baseline) to stdout. */
export interface Bench {
  name: string;
  run(): Promise<void>;
}

/** The registry of benchmarks; each bench file adds one line here. */
export const benches: Bench[] = [knowledgeBench, pipelineBench, engineBench, moeGraphBench, embedderBench];
