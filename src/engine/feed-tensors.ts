/**
 * Build decoder feeds in the element type the graph declares. Pure.
 *
 * Exports disagree on dtypes (some take `point_labels` or `orig_im_size` as int64, most as
 * float32), so values are produced as float32 and cast to whatever the session's input
 * metadata asks for; unknown metadata means float32, the segment-anything default.
 */
import type { IoInfo, TensorData } from './onnx-session.js';

export function feedTensor(
  values: Float32Array,
  dims: readonly number[],
  input: IoInfo | undefined,
): TensorData {
  switch (input?.type) {
    case 'int64':
      return { type: 'int64', data: BigInt64Array.from(values, (v) => BigInt(Math.round(v))), dims };
    case 'int32':
      return { type: 'int32', data: Int32Array.from(values, (v) => Math.round(v)), dims };
    default:
      return { type: 'float32', data: values, dims };
  }
}

/** A fixed axis from metadata (`shape[axis]` when it is a positive number), else `fallback`. */
export function fixedDim(input: IoInfo | undefined, axis: number, fallback: number): number {
  const d = input?.shape[axis];
  return typeof d === 'number' && d > 0 ? d : fallback;
}

/** Find an IO entry by name. */
export const io = (list: readonly IoInfo[], name: string): IoInfo | undefined =>
  list.find((x) => x.name === name);
