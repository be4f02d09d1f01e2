/**
 * Build decoder feeds in the element type the graph declares. Pure.
 *
 * Exports disagree on dtypes (some take `point_labels` or `orig_im_size` as int64, most as
 * float32), so values are produced as float32 and cast to whatever the session's input
 * metadata asks for; unknown metadata means float32, the segment-anything default.
 */
import type { IoInfo, TensorData } from './onnx-session.js';
import type { EncodedPrompts } from './prompt-encoding.js';

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

/** The graph's metadata for `name`; undefined when the graph does not declare it. */
export const io = (list: readonly IoInfo[], name: string): IoInfo | undefined =>
  list.find((x) => x.name === name);

/** The prompt feeds of both families: point_coords [1, n, 2] and point_labels [1, n]. */
export function pointFeeds(inputs: readonly IoInfo[], p: EncodedPrompts): Record<string, TensorData> {
  return {
    point_coords: feedTensor(p.coords, [1, p.n, 2], io(inputs, 'point_coords')),
    point_labels: feedTensor(p.labels, [1, p.n], io(inputs, 'point_labels')),
  };
}

/**
 * "No previous mask": mask_input [1, 1, m, m] of zeros (m from the graph, else S/4) and
 * has_mask_input [1] = 0. maskd never feeds a mask back, so a pipeline builds these once and
 * every decode shares them read-only.
 * @param inputSize S, the encoder's square input size.
 */
export function noMaskFeeds(inputs: readonly IoInfo[], inputSize: number): Record<string, TensorData> {
  const maskInput = io(inputs, 'mask_input');
  const m = fixedDim(maskInput, 3, inputSize / 4);
  return {
    mask_input: feedTensor(new Float32Array(m * m), [1, 1, m, m], maskInput),
    has_mask_input: feedTensor(new Float32Array(1), [1], io(inputs, 'has_mask_input')),
  };
}
