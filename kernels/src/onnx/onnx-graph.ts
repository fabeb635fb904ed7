import * as fs from 'node:fs';
import { onnx } from 'onnx-proto';

export type ElementType = 'float32' | 'int64' | 'int32' | 'bool';
/** Element types of weights produced while the graph is written (see `weightStream`). */
export type StreamedType = 'float32' | 'float16' | 'uint8';
/**
 * Produces a weight's bytes in order, in as many pieces as it likes (they must add up to the
 * tensor's size): a writer appends each piece and drops it, so a large tensor never needs to be
 * whole in memory.
 */
export type WeightProducer = (emit: (bytes: Uint8Array) => void) => void;

const STREAMED: Record<StreamedType, { dataType: onnx.TensorProto.DataType; bytes: number }> = {
  float32: { dataType: onnx.TensorProto.DataType.FLOAT, bytes: 4 },
  float16: { dataType: onnx.TensorProto.DataType.FLOAT16, bytes: 2 },
  uint8: { dataType: onnx.TensorProto.DataType.UINT8, bytes: 1 },
};

/** The bytes of a typed array (a view, not a copy). */
export function bytesOf(data: Float32Array | Uint16Array | Uint8Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
export type Dim = number | string;

const ELEMENT_TYPES: Record<ElementType, onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
  int32: onnx.TensorProto.DataType.INT32,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** Numbers are INT when whole; wrap as `{ float: 1 }` for a FLOAT attribute with a whole value. */
type AttributeValue = number | string | number[] | Float32Array | { tensor: onnx.ITensorProto } | { float: number };

function valueInfo(name: string, type: ElementType, dims: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: onnx.AttributeProto.AttributeType.INT, i: value }
      : { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value };
  }
  if (value instanceof Float32Array)
    return { name, type: onnx.AttributeProto.AttributeType.FLOATS, floats: Array.from(value) };
  if (Array.isArray(value)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value.float };
  return { name, type: onnx.AttributeProto.AttributeType.TENSOR, t: value.tensor };
}

/** A float32 or int64 tensor constant, stored raw (little-endian) as ONNX expects. */
export function tensorProto(
  name: string,
  data: Float32Array | BigInt64Array | Int32Array,
  dims: number[],
): onnx.ITensorProto {
  const dataType =
    data instanceof Float32Array
      ? onnx.TensorProto.DataType.FLOAT
      : data instanceof Int32Array
        ? onnx.TensorProto.DataType.INT32
        : onnx.TensorProto.DataType.INT64;
  return { name, dims, dataType, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE float16 bits, rounded to nearest even; out of range → ±Infinity. */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0);
      continue;
    }
    let e = exponent - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      // Subnormal half (or zero): shift the implicit-one mantissa into place, round to nearest even.
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mantissa |= 0x800000;
      const shift = 14 - e;
      const half = 1 << (shift - 1);
      const rest = mantissa & ((1 << shift) - 1);
      let m = mantissa >>> shift;
      if (rest > half || (rest === half && m & 1)) m++;
      out[i] = sign | m;
      continue;
    }
    const rest = mantissa & 0x1fff;
    let m = mantissa >>> 13;
    if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
      m++;
      if (m === 0x400) {
        m = 0;
        e++;
        if (e >= 0x1f) {
          out[i] = sign | 0x7c00;
          continue;
        }
      }
    }
    out[i] = sign | (e << 10) | m;
  }
  return out;
}

/**
 * A small builder over the ONNX protobuf schema: declare inputs, initializers (weights), nodes
 * and outputs, then serialize. Node outputs get unique names from `tmp()` so graph code reads as
 * a sequence of operations.
 */
export class OnnxGraph {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  /** Weights whose data is produced only when written (see `weightStream`), with their size in bytes. */
  private readonly pending = new Map<string, { produce: WeightProducer; byteLength: number }>();
  private counter = 0;

  constructor(private readonly name: string) {}

  input(name: string, type: ElementType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElementType, dims: Dim[]): string {
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /**
   * A constant tensor. Given a function instead of data, the data is produced only when the
   * graph is written, so a large model's weights need not all be in memory at once.
   */
  weight(name: string, data: Float32Array | BigInt64Array | Int32Array | (() => Float32Array), dims: number[]): string {
    if (typeof data === 'function') return this.weightStream(name, 'float32', dims, (emit) => emit(bytesOf(data())));
    this.initializers.push(tensorProto(name, data, dims));
    return name;
  }

  /**
   * A weight whose bytes `produce` emits, piece by piece, only when the graph is written (so a
   * large model's weights are never all in memory, nor any one of them whole if the producer
   * streams it).
   */
  weightStream(name: string, type: StreamedType, dims: number[], produce: WeightProducer): string {
    const { dataType, bytes } = STREAMED[type];
    this.pending.set(name, { produce, byteLength: dims.reduce((a, b) => a * b, bytes) });
    this.initializers.push({ name, dims, dataType });
    return name;
  }

  /**
   * A weight stored as float16 (produced when written, like `weight` with a function), read back
   * as float32 through a Cast node; returns the Cast's output. Halves the weights on disk.
   */
  weightFloat16(name: string, load: () => Float32Array, dims: number[]): string {
    this.weightStream(name, 'float16', dims, (emit) => emit(bytesOf(toFloat16(load()))));
    return this.op1('Cast', [name], { to: onnx.TensorProto.DataType.FLOAT });
  }

  /** Runs a weight's producer, checking that it emits exactly the tensor's size. */
  private produce(name: string, emit: (bytes: Uint8Array) => void): void {
    const pending = this.pending.get(name)!;
    let produced = 0;
    pending.produce((bytes) => {
      produced += bytes.byteLength;
      if (produced > pending.byteLength) throw new Error(`weight ${name}: more than ${pending.byteLength} bytes`);
      emit(bytes);
    });
    if (produced !== pending.byteLength) {
      throw new Error(`weight ${name}: ${produced} bytes produced, ${pending.byteLength} expected`);
    }
  }

  private materialize(tensor: onnx.ITensorProto): onnx.ITensorProto {
    const pending = this.pending.get(tensor.name!);
    if (!pending) return tensor;
    const rawData = new Uint8Array(pending.byteLength);
    let at = 0;
    this.produce(tensor.name!, (bytes) => {
      rawData.set(bytes, at);
      at += bytes.byteLength;
    });
    return { ...tensor, rawData };
  }

  /** An int64 constant, e.g. axes or shapes. */
  ints(values: number[], name = this.tmp('const')): string {
    return this.weight(name, BigInt64Array.from(values.map(BigInt)), [values.length]);
  }

  scalar(value: number, name = this.tmp('scalar')): string {
    return this.weight(name, Float32Array.of(value), []);
  }

  tmp(prefix = 't'): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Adds a node; returns its output names (fresh ones unless given). */
  op(
    type: string,
    inputs: string[],
    options: { outputs?: string[] | number; attributes?: Record<string, AttributeValue>; domain?: string } = {},
  ): string[] {
    const outputs = Array.isArray(options.outputs)
      ? options.outputs
      : Array.from({ length: options.outputs ?? 1 }, () => this.tmp(type.toLowerCase()));
    this.nodes.push({
      opType: type,
      domain: options.domain ?? '',
      name: this.tmp(`n_${type}`),
      input: inputs,
      output: outputs,
      attribute: Object.entries(options.attributes ?? {}).map(([k, v]) => attribute(k, v)),
    });
    return outputs;
  }

  /** Single-output shorthand of `op`. */
  op1(
    type: string,
    inputs: string[],
    attributes?: Record<string, AttributeValue>,
    output?: string,
    domain?: string,
  ): string {
    return this.op(type, inputs, { attributes, outputs: output ? [output] : 1, domain })[0];
  }

  toModel(options?: { opset?: number; msOpset?: number; producer?: string }): onnx.IModelProto {
    const model = this.toModelStructure(options);
    return { ...model, graph: { ...model.graph, initializer: this.initializers.map((t) => this.materialize(t)) } };
  }

  toBytes(options?: Parameters<OnnxGraph['toModel']>[0]): Uint8Array {
    return onnx.ModelProto.encode(onnx.ModelProto.create(this.toModel(options))).finish();
  }

  /**
   * Writes the graph to `modelFile` and its weights (all but tiny ones) to `dataFile` beside it,
   * one tensor at a time, each piece a producer emits appended and dropped at once: memory holds
   * what the producers hold (at most about one source tensor) beyond the graph's structure,
   * whatever the model's size.
   */
  writeWithExternalData(modelFile: string, dataFile: string, options?: Parameters<OnnxGraph['toModel']>[0]): void {
    const location = dataFile.split(/[\\/]/).pop()!;
    const fd = fs.openSync(dataFile, 'w');
    let offset = 0;
    const initializer: onnx.ITensorProto[] = [];
    try {
      for (const placeholder of this.initializers) {
        const pending = this.pending.get(placeholder.name!);
        const byteLength = pending
          ? pending.byteLength
          : ((placeholder.rawData as Uint8Array | undefined)?.byteLength ?? 0);
        if (byteLength < 1024) {
          initializer.push(this.materialize(placeholder));
          continue;
        }
        const padding = (64 - (offset % 64)) % 64; // keep tensors aligned for memory mapping
        if (padding) fs.writeSync(fd, Buffer.alloc(padding), 0, padding, offset);
        offset += padding;
        const start = offset;
        const append = (raw: Uint8Array) => {
          for (let done = 0; done < raw.byteLength;) {
            done += fs.writeSync(fd, raw, done, Math.min(1 << 30, raw.byteLength - done), offset + done);
          }
          offset += raw.byteLength;
        };
        if (pending) this.produce(placeholder.name!, append);
        else append(placeholder.rawData as Uint8Array);
        initializer.push({
          ...placeholder,
          rawData: undefined,
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: [
            { key: 'location', value: location },
            { key: 'offset', value: String(start) },
            { key: 'length', value: String(byteLength) },
          ],
        });
      }
    } finally {
      fs.closeSync(fd);
    }
    const structure = this.toModelStructure(options);
    const model = { ...structure, graph: { ...structure.graph, initializer } };
    fs.writeFileSync(modelFile, onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish());
  }

  /** The model without weights materialized (for writers that place them themselves). */
  private toModelStructure(options: Parameters<OnnxGraph['toModel']>[0] = {}): onnx.IModelProto {
    return {
      irVersion: 10,
      producerName: options.producer ?? 'zhibing-kernels',
      opsetImport: [
        { domain: '', version: options.opset ?? 21 },
        { domain: 'com.microsoft', version: options.msOpset ?? 1 },
      ],
      graph: { name: this.name, node: this.nodes, initializer: [], input: this.inputs, output: this.outputs },
    };
  }
}
