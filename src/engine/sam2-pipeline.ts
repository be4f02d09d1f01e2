/**
 * SAM 2 / 2.1 ONNX interface (samexporter export).
 *
 * encoder: image [1, 3, S, S] float32
 *       →  high_res_feats_0 [1, 32, S/4, S/4], high_res_feats_1 [1, 64, S/8, S/8], image_embed [1, 256, S/16, S/16]
 * decoder: image_embed, high_res_feats_0, high_res_feats_1 (as above), point_coords [1, n, 2] (S×S frame),
 *          point_labels [1, n], mask_input [1, 1, S/4, S/4], has_mask_input [1]
 *       →  masks [1, M, S/4, S/4] low-res logits, iou_predictions [1, M]
 * The low-res logits are upsampled straight to the original size (as SAM 2's
 * `postprocess_masks` does), thresholded at 0.
 */
import { forEachBand } from './event-loop.js';
import { fixedDim, io, noMaskFeeds, pointFeeds } from './feed-tensors.js';
import { resizeRgb } from './image-codec.js';
import type { OnnxSession } from './onnx-session.js';
import { bestOf, type DecodedMask, type Embedding, embeddingOf, type ModelPipeline } from './pipeline.js';
import { axisSampling, upsampleToMask } from './postprocess.js';
import { encodeSam2Prompts } from './prompt-encoding.js';
import type { RgbImage } from './rgb-image.js';
import { SAM2_INPUT_SIZE, sam2Preprocess } from './sam2-preprocess.js';
import type { Prompts } from './types.js';

const FEATURES = ['image_embed', 'high_res_feats_0', 'high_res_feats_1'] as const;

export function createSam2Pipeline({
  encoder,
  decoder,
}: {
  encoder: OnnxSession;
  decoder: OnnxSession;
}): ModelPipeline {
  const size = fixedDim(io(encoder.inputs, 'image'), 3, SAM2_INPUT_SIZE);
  const noMask = noMaskFeeds(decoder.inputs, size);

  const inputSize = () => ({ width: size, height: size });

  async function encode(image: RgbImage): Promise<Embedding> {
    // Stretched to S × S: no aspect ratio, no padding.
    const resized = await resizeRgb(image, size, size);
    // [1, 3, S, S] float32
    const pixels = sam2Preprocess(resized, size);
    const out = await encoder.run(
      { image: { type: 'float32', data: pixels, dims: [1, 3, size, size] } },
      FEATURES,
      { transfer: ['image'] },
    );
    return embeddingOf(Object.fromEntries(FEATURES.map((name) => [name, out[name]])));
  }

  async function decode(
    embedding: Embedding,
    prompts: Prompts,
    width: number,
    height: number,
  ): Promise<DecodedMask> {
    const out = await decoder.run(
      {
        ...embedding.tensors,
        ...pointFeeds(decoder.inputs, encodeSam2Prompts(prompts, width, height, size)),
        ...noMask,
      },
      ['masks', 'iou_predictions'],
    );
    // masks [1, M, h, w] low-res logits; iou_predictions [1, M]
    const best = bestOf(out.masks, out.iou_predictions);
    const mask = new Uint8Array(width * height);
    const xs = axisSampling(best.width, width);
    const ys = axisSampling(best.height, height);
    await forEachBand(height, width, (rowFrom, rowTo) =>
      upsampleToMask(best.logits, best.width, best.height, mask, width, height, {
        offset: best.offset,
        rowFrom,
        rowTo,
        xs,
        ys,
      }),
    );
    return { mask, score: best.score };
  }

  return { family: 'sam2', inputSize, encode, decode };
}
