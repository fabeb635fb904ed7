import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { seededRandom } from '@zhibing/kernels';

const BLOCK = 32;

/**
 * Rewrites a float16-weight naive graph written with external data (`model.onnx` + `model.onnx.data`
 * in `dir`) into `model_q4.onnx`: every MatMul by Cast(float16 matrix) becomes MatMulNBits on
 * 4-bit codes in blocks of 32 (written to `model_q4.onnx.data`); everything else (embedding, norms,
 * a tied LM head's Transpose) keeps reading `model.onnx.data`. The codes are seeded random bytes:
 * for a speed benchmark only what is read matters, and a 1.5B model's weights need not be
 * quantized for real. Returns the bytes the rewritten MatMuls read per token (codes + scales).
 */
export function rewriteAsRandomQ4(dir: string): number {
  const model = onnx.ModelProto.decode(fs.readFileSync(path.join(dir, 'model.onnx')));
  const graph = model.graph!;
  const initializers = new Map(graph.initializer!.map((t) => [t.name!, t]));
  const producer = new Map(graph.node!.flatMap((node) => node.output!.map((out) => [out, node] as const)));
  const uses = new Map<string, number>();
  for (const node of graph.node!) for (const input of node.input!) uses.set(input, (uses.get(input) ?? 0) + 1);

  const dataName = 'model_q4.onnx.data';
  const fd = fs.openSync(path.join(dir, dataName), 'w');
  const random = seededRandom(7);
  const noise = Uint8Array.from({ length: 1 << 20 }, () => Math.floor(random() * 256));
  let offset = 0;
  let bytesRead = 0;
  const external = (name: string, dims: number[], dataType: number, bytes: Uint8Array): onnx.ITensorProto => {
    fs.writeSync(fd, bytes, 0, bytes.byteLength, offset);
    const location = [
      { key: 'location', value: dataName },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.byteLength) },
    ];
    offset += bytes.byteLength + ((64 - (bytes.byteLength % 64)) % 64); // aligned like OnnxGraph's writer
    bytesRead += bytes.byteLength;
    return { name, dims, dataType, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: location };
  };
  const dropped = new Set<onnx.INodeProto>();
  const droppedWeights = new Set<string>();
  const added: onnx.ITensorProto[] = [];
  let nodes: onnx.INodeProto[];
  try {
    nodes = graph.node!.map((node) => {
      const cast = node.opType === 'MatMul' ? producer.get(node.input![1]) : undefined;
      const weight = cast?.opType === 'Cast' ? initializers.get(cast.input![0]) : undefined;
      if (!cast || !weight || weight.dims!.length !== 2 || uses.get(cast.output![0]) !== 1) return node;
      if (uses.get(weight.name!) !== 1) return node;
      const [k, n] = weight.dims!.map(Number);
      const codes = new Uint8Array((n * k) / 2);
      for (let at = 0; at < codes.length; at += noise.length) codes.set(noise.subarray(0, codes.length - at), at);
      // Scales as a real quantizer gives for weights of about 1/sqrt(k): max |w| / 7.
      const scales = new Float32Array((n * k) / BLOCK).fill(2 / Math.sqrt(k) / 7);
      added.push(
        external(`${weight.name}.q4`, [n, k / BLOCK, BLOCK / 2], onnx.TensorProto.DataType.UINT8, codes),
        external(
          `${weight.name}.scales`,
          [scales.length],
          onnx.TensorProto.DataType.FLOAT,
          new Uint8Array(scales.buffer),
        ),
      );
      dropped.add(cast);
      droppedWeights.add(weight.name!);
      const attribute = (name: string, i: number) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
      return {
        opType: 'MatMulNBits',
        domain: 'com.microsoft',
        name: `${node.name}_q4`,
        input: [node.input![0], `${weight.name}.q4`, `${weight.name}.scales`],
        output: node.output,
        attribute: [attribute('K', k), attribute('N', n), attribute('bits', 4), attribute('block_size', BLOCK)],
      };
    });
  } finally {
    fs.closeSync(fd);
  }
  const initializer = [...graph.initializer!.filter((t) => !droppedWeights.has(t.name!)), ...added];
  const rewritten = { ...model, graph: { ...graph, node: nodes.filter((n) => !dropped.has(n)), initializer } };
  fs.writeFileSync(path.join(dir, 'model_q4.onnx'), onnx.ModelProto.encode(onnx.ModelProto.create(rewritten)).finish());
  return bytesRead;
}
