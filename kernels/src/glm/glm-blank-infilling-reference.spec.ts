import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { decoderFeeds } from '../testing/decoder-feeds';
import { checkpointFiles, loadGlmWeights } from '../weights/load-glm-weights';
import { parseGlmConfig } from './glm-config';
import { buildGlmNaiveGraph } from './glm-naive-graph';

/**
 * The naive graph's blank infilling against the numpy reference (kernels/reference/glm_numpy.py,
 * written from the GLM paper's 2-D scheme independently of these graphs): the glm and glm4_moe
 * fixtures' weights (interleaved and half-split rotary) read as `position_encoding: "2d"` models,
 * expected_2d.json written by make_fixtures.py.
 */
const FIXTURES = path.join(__dirname, '..', '..', 'reference', 'fixtures');

interface Expected2d {
  prompt: number[];
  mask_position: number;
  span_start: number;
  max_tokens: number;
  ids: number[];
  logits: number[];
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const argmax = (row: Float32Array) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);

describe.each(['glm', 'glm4_moe'])('%s weights with 2-D blank infilling agree with the numpy reference', (name) => {
  const folder = path.join(FIXTURES, name);
  const expected = JSON.parse(fs.readFileSync(path.join(folder, 'expected_2d.json'), 'utf8')) as Expected2d;
  const raw = JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'));
  const config = parseGlmConfig({ ...raw, position_encoding: '2d' });
  const layout = { maskPosition: expected.mask_position, spanStart: expected.span_start };
  let session: ort.InferenceSession;

  beforeAll(async () => {
    const graph = buildGlmNaiveGraph(config, loadGlmWeights(checkpointFiles(folder), config));
    session = await ort.InferenceSession.create(graph.toBytes());
  });
  afterAll(() => session.release());

  it("gives the last prompt position's logits within 1e-4 and the same greedy span, with the KV cache", async () => {
    let outputs = await session.run(decoderFeeds(ort, config, expected.prompt, null, 0, layout));
    const first = outputs.logits.data as Float32Array;
    const diff = maxDiff(first, expected.logits);
    console.log(`${name} (2d): max |onnx − numpy| on last-position logits ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-4);
    const ids: number[] = [argmax(first)];
    for (let length = expected.prompt.length; ids.length < expected.max_tokens; length++) {
      outputs = await session.run(decoderFeeds(ort, config, [ids[ids.length - 1]], outputs, length, layout));
      ids.push(argmax(outputs.logits.data as Float32Array));
    }
    expect(ids).toEqual(expected.ids);
  });
});
