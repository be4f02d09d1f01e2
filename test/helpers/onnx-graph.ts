/**
 * A tiny ONNX graph builder for test fixtures: just enough of the protobuf (tensors, nodes,
 * value infos, one graph) to hand-write small models that ONNX Runtime can load.
 * Opset 17 (default domain), IR version 8, matching what the real exports use.
 *
 * @example
 *   const bytes = encodeModel({
 *     name: 'double',
 *     inputs: [valueInfo('x', [1, 'n'])],
 *     outputs: [valueInfo('y', [1, 'n'])],
 *     initializers: [floatTensor('two', [], [2])],
 *     nodes: [node('Mul', ['x', 'two'], ['y'])],
 *   });
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export const OPSET = 17;
export const IR_VERSION = 8;

/** Element types we use; values are `onnx.TensorProto.DataType`. */
export const DType = { float: 1, int64: 7 } as const;
export type DType = (typeof DType)[keyof typeof DType];

/** A dimension: a fixed size, or a symbolic name for a dynamic axis. */
export type Dim = number | string;

export function floatTensor(
  name: string,
  dims: number[],
  data: ArrayLike<number>,
): onnxProto.onnx.ITensorProto {
  checkCount(name, dims, data.length);
  const f32 = Float32Array.from(data);
  // raw_data is little-endian; so is every platform ORT runs on here.
  return { name, dims, dataType: DType.float, rawData: new Uint8Array(f32.buffer) };
}

export function int64Tensor(
  name: string,
  dims: number[],
  data: ArrayLike<number>,
): onnxProto.onnx.ITensorProto {
  checkCount(name, dims, data.length);
  const i64 = BigInt64Array.from(Array.from(data, (v) => BigInt(v)));
  return { name, dims, dataType: DType.int64, rawData: new Uint8Array(i64.buffer) };
}

function checkCount(name: string, dims: number[], n: number): void {
  const want = dims.reduce((a, b) => a * b, 1);
  if (want !== n)
    throw new Error(`tensor ${name}: dims ${JSON.stringify(dims)} need ${want} values, got ${n}`);
}

/** Attribute values: number → INT when integral else FLOAT; number[] → INTS (use `floats()` for FLOATS). */
export type AttrValue = number | number[] | string | { floats: number[] };

export const floats = (v: number[]): { floats: number[] } => ({ floats: v });

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  }
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  return { name, type: T.FLOATS, floats: v.floats };
}

/** One operator node; attributes as a plain object. Named after its first output (unique in SSA form). */
export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, AttrValue> = {},
): onnxProto.onnx.INodeProto {
  return {
    opType,
    input: inputs,
    output: outputs,
    name: `${opType}_${outputs[0]}`,
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  };
}

/** A typed graph input/output; string dims are dynamic axes. */
export function valueInfo(
  name: string,
  dims: Dim[],
  elemType: DType = DType.float,
): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface GraphSpec {
  name: string;
  inputs: onnxProto.onnx.IValueInfoProto[];
  outputs: onnxProto.onnx.IValueInfoProto[];
  initializers?: onnxProto.onnx.ITensorProto[];
  nodes: onnxProto.onnx.INodeProto[];
}

/** Serialise a single-graph model to ONNX protobuf bytes. */
export function encodeModel(spec: GraphSpec): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: 'maskd-test',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: {
      name: spec.name,
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers ?? [],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
