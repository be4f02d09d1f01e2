/**
 * What a model family provides to the engine: encode an image once, decode a mask per prompt.
 * Implementations: `sam1-pipeline.ts`, `sam2-pipeline.ts`, the model-free one in `stub-engine.ts`;
 * tests use fakes.
 */
import type { TensorData } from './onnx-session.js';
import { selectBestMask } from './postprocess.js';
import type { RgbImage } from './rgb-image.js';
import type { Engine, Prompts } from './types.js';

/** An image's encoder outputs, keyed by the decoder input they feed. Read-only once made. */
export interface Embedding {
  readonly tensors: Readonly<Record<string, TensorData>>;
  /** Sum of the tensors' byte lengths, for the cache budget. */
  readonly bytes: number;
}

export interface DecodedMask {
  /** [height, width] uint8, 255 = selected. */
  mask: Uint8Array;
  /** The decoder's predicted IoU for the chosen mask. */
  score: number;
}

export interface ModelPipeline {
  readonly family: Engine['family'];
  /** The size the encoder wants a width × height image resized to (decode straight to it). */
  inputSize(width: number, height: number): { width: number; height: number };
  /**
   * image [h, w, 3] uint8 at `inputSize` (other sizes are resized first) → embedding.
   * One encoder run. The embedding depends only on these pixels, so they make the cache key.
   */
  encode(image: RgbImage): Promise<Embedding>;
  /** One decoder run; prompts in displayed-image pixels of a width × height image. */
  decode(embedding: Embedding, prompts: Prompts, width: number, height: number): Promise<DecodedMask>;
}

export function embeddingOf(tensors: Record<string, TensorData>): Embedding {
  const bytes = Object.values(tensors).reduce((sum, t) => sum + t.data.byteLength, 0);
  return { tensors, bytes };
}

/** The mask with the highest predicted IoU: its logits in a [1, M, h, w] output, its IoU from [1, M]. */
export function bestOf(masks: TensorData, iou: TensorData) {
  const dims = masks.dims;
  if (dims.length !== 4 || dims[0] !== 1) throw new Error(`unexpected masks shape [${dims.join(',')}]`);
  const [, m, h, w] = dims as [number, number, number, number];
  const scores = iou.data as Float32Array;
  if (scores.length !== m) throw new Error(`iou_predictions has ${scores.length} values for ${m} masks`);
  const best = selectBestMask(scores);
  return {
    logits: masks.data as Float32Array,
    offset: best * h * w,
    width: w,
    height: h,
    score: scores[best],
  };
}
