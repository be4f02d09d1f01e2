/**
 * Small synthetic stand-ins for the samexporter SAM 2 encoder/decoder pair: same input/output
 * names, dtypes and shapes as the real export, but a few hand-written ops instead of weights
 * (the real files cannot be downloaded in CI). Each file is well under 1 MB.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo } from './onnx-graph.js';

/** Mask k's radius in low-res (256-frame) pixels; ×4 for the 1024 model frame. */
export const SYNTHETIC_SAM2_RADII = [20, 40, 60] as const;
/** Fixed `iou_predictions`: the engine must pick mask index 1 (radius 40). */
export const SYNTHETIC_SAM2_IOU = [0.5, 0.9, 0.7] as const;
export const SYNTHETIC_SAM2_BEST = 1;

/**
 * Write `encoder.onnx` and `decoder.onnx` into `dir` (created if missing).
 *
 * Encoder — `image` float32 [1,3,1024,1024] →
 *   with g = mean over the 3 channels of `image` ([1,1,1024,1024]):
 *   `high_res_feats_0` [1,32,256,256] = AveragePool(g, 4×4, stride 4), broadcast to 32 channels
 *   `high_res_feats_1` [1,64,128,128] = AveragePool(g, 8×8, stride 8), broadcast to 64 channels
 *   `image_embed`      [1,256,64,64]  = AveragePool(g, 16×16, stride 16), broadcast to 256 channels
 *   So every channel of an output equals the block mean of the preprocessed image.
 *
 * Decoder — `image_embed` [1,256,64,64], `high_res_feats_0` [1,32,256,256],
 *   `high_res_feats_1` [1,64,128,128], `point_coords` [1,N,2] (N dynamic, 1024-frame x,y),
 *   `point_labels` [1,N], `mask_input` [1,1,256,256], `has_mask_input` [1] →
 *   `masks` [1,3,256,256], `iou_predictions` [1,3] (all float32).
 *   Only the FIRST point matters (for a box-only prompt that is the box's top-left corner).
 *   With (px, py) = point_coords[0,0], low-res pixel (row i, col j) stands for the 1024-frame
 *   point (4j+1.5, 4i+1.5) (the centre of the 4×4 block it covers), and
 *     masks[0,k,i,j] = r_k − distance((4j+1.5, 4i+1.5), (px, py)) / 4,   r = [20, 40, 60]
 *   i.e. a smooth cone: positive inside a disk of radius 4·r_k = 80/160/240 px (1024 frame)
 *   centred exactly on the point, ~1 logit per 4 px. Bilinear upsampling 256→1024
 *   (align_corners=false) puts the peak on the point's pixel. `iou_predictions` is always
 *   [0.5, 0.9, 0.7]. The other inputs are consumed as `0 × mean(input)` (they must be fed,
 *   and NaN/Inf in them would surface as NaN in the outputs).
 */
export async function writeSyntheticSam2(dir: string): Promise<{ encoderPath: string; decoderPath: string }> {
  await mkdir(dir, { recursive: true });
  const encoderPath = join(dir, 'encoder.onnx');
  const decoderPath = join(dir, 'decoder.onnx');
  await writeFile(encoderPath, syntheticSam2Encoder());
  await writeFile(decoderPath, syntheticSam2Decoder());
  return { encoderPath, decoderPath };
}

export function syntheticSam2Encoder(): Uint8Array {
  // Block mean of the grey image, broadcast over channels: [1,1,1024,1024] → [1,C,S,S].
  const outs = [
    { out: 'high_res_feats_0', k: 4, channels: 32, size: 256 },
    { out: 'high_res_feats_1', k: 8, channels: 64, size: 128 },
    { out: 'image_embed', k: 16, channels: 256, size: 64 },
  ];
  return encodeModel({
    name: 'synthetic_sam2_encoder',
    inputs: [valueInfo('image', [1, 3, 1024, 1024])],
    outputs: [
      valueInfo('high_res_feats_0', [1, 32, 256, 256]),
      valueInfo('high_res_feats_1', [1, 64, 128, 128]),
      valueInfo('image_embed', [1, 256, 64, 64]),
    ],
    nodes: [
      // [1,3,1024,1024] → [1,1,1024,1024]
      node('ReduceMean', ['image'], ['gray'], { axes: [1], keepdims: 1 }),
      ...outs.flatMap(({ out, k }) => [
        node('AveragePool', ['gray'], [`${out}_1ch`], { kernel_shape: [k, k], strides: [k, k] }),
        node('Expand', [`${out}_1ch`, `${out}_shape`], [out]),
      ]),
    ],
    initializers: outs.map(({ out, channels, size }) =>
      int64Tensor(`${out}_shape`, [4], [1, channels, size, size]),
    ),
  });
}

export function syntheticSam2Decoder(): Uint8Array {
  const unused = [
    'image_embed',
    'high_res_feats_0',
    'high_res_feats_1',
    'point_labels',
    'mask_input',
    'has_mask_input',
  ];
  return encodeModel({
    name: 'synthetic_sam2_decoder',
    inputs: [
      valueInfo('image_embed', [1, 256, 64, 64]),
      valueInfo('high_res_feats_0', [1, 32, 256, 256]),
      valueInfo('high_res_feats_1', [1, 64, 128, 128]),
      valueInfo('point_coords', [1, 'num_points', 2]),
      valueInfo('point_labels', [1, 'num_points']),
      valueInfo('mask_input', [1, 1, 256, 256]),
      valueInfo('has_mask_input', [1]),
    ],
    outputs: [valueInfo('masks', [1, 3, 256, 256]), valueInfo('iou_predictions', [1, 3])],
    initializers: [
      int64Tensor('i0', [1], [0]),
      int64Tensor('i1', [1], [1]),
      int64Tensor('i2', [1], [2]),
      floatTensor('f_start', [], [0.375]), // (4j + 1.5) / 4 = j + 0.375
      floatTensor('f_limit', [], [256]),
      floatTensor('f_one', [], [1]),
      floatTensor('f_four', [], [4]),
      floatTensor('f_zero', [], [0]),
      int64Tensor('row_shape', [4], [1, 1, 1, 256]),
      int64Tensor('col_shape', [4], [1, 1, 256, 1]),
      floatTensor('radii', [1, 3, 1, 1], SYNTHETIC_SAM2_RADII),
      floatTensor('iou_const', [1, 3], SYNTHETIC_SAM2_IOU),
    ],
    nodes: [
      // Grid of low-res pixel centres in 256-frame units: [256] → row [1,1,1,256], column [1,1,256,1].
      node('Range', ['f_start', 'f_limit', 'f_one'], ['grid']),
      node('Reshape', ['grid', 'row_shape'], ['gx']),
      node('Reshape', ['grid', 'col_shape'], ['gy']),
      // First point, 1024 frame → 256 frame: [1,N,2] → [1,1,2] → x,y [1,1,1] → [1,1,1,1].
      node('Slice', ['point_coords', 'i0', 'i1', 'i1'], ['p0']),
      node('Slice', ['p0', 'i0', 'i1', 'i2'], ['px3']),
      node('Slice', ['p0', 'i1', 'i2', 'i2'], ['py3']),
      node('Unsqueeze', ['px3', 'i2'], ['px4']),
      node('Unsqueeze', ['py3', 'i2'], ['py4']),
      node('Div', ['px4', 'f_four'], ['cx']),
      node('Div', ['py4', 'f_four'], ['cy']),
      // Euclidean distance to the point, [1,1,256,256].
      node('Sub', ['gx', 'cx'], ['dx']),
      node('Sub', ['gy', 'cy'], ['dy']),
      node('Mul', ['dx', 'dx'], ['dx2']),
      node('Mul', ['dy', 'dy'], ['dy2']),
      node('Add', ['dx2', 'dy2'], ['d2']),
      node('Sqrt', ['d2'], ['dist']),
      // [1,3,1,1] − [1,1,256,256] → [1,3,256,256]
      node('Sub', ['radii', 'dist'], ['cone']),
      // Consume every other input so it must be fed with a sane value: zero = 0 × Σ mean(input).
      ...unused.map((name) => node('ReduceMean', [name], [`${name}_mean`], { keepdims: 0 })),
      node(
        'Sum',
        unused.map((name) => `${name}_mean`),
        ['means'],
      ),
      node('Mul', ['means', 'f_zero'], ['zero']),
      node('Add', ['cone', 'zero'], ['masks']),
      node('Add', ['iou_const', 'zero'], ['iou_predictions']),
    ],
  });
}
