import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ort from 'onnxruntime-node';
import { SYNTHETIC_SAM2_IOU, SYNTHETIC_SAM2_RADII, writeSyntheticSam2 } from '../helpers/synthetic-sam2.js';

// The fixture itself is under test here: the engine's SAM 2 tests rely on exactly this behaviour.
describe('synthetic SAM 2 graphs', () => {
  let dir: string;
  let encoder: ort.InferenceSession;
  let decoder: ort.InferenceSession;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'maskd-sam2-'));
    const paths = await writeSyntheticSam2(dir);
    for (const p of [paths.encoderPath, paths.decoderPath]) assert.ok((await stat(p)).size < 1_000_000);
    const opts = { intraOpNumThreads: 1, interOpNumThreads: 1 };
    encoder = await ort.InferenceSession.create(paths.encoderPath, opts);
    decoder = await ort.InferenceSession.create(paths.decoderPath, opts);
  });
  after(async () => {
    await encoder?.release();
    await decoder?.release();
    await rm(dir, { recursive: true, force: true });
  });

  it('has the samexporter input and output names', () => {
    assert.deepEqual(encoder.inputNames, ['image']);
    assert.deepEqual([...encoder.outputNames].sort(), [
      'high_res_feats_0',
      'high_res_feats_1',
      'image_embed',
    ]);
    assert.deepEqual(decoder.inputNames, [
      'image_embed',
      'high_res_feats_0',
      'high_res_feats_1',
      'point_coords',
      'point_labels',
      'mask_input',
      'has_mask_input',
    ]);
    assert.deepEqual(decoder.outputNames, ['masks', 'iou_predictions']);
  });

  it('encodes block means of the channel-mean image', async () => {
    // Left half 1, right half 0 in every channel; plus one bright 16×16 block in channel 0 only.
    const img = new Float32Array(3 * 1024 * 1024);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 1024; y++)
        img.fill(1, c * 1024 * 1024 + y * 1024, c * 1024 * 1024 + y * 1024 + 512);
    for (let y = 0; y < 16; y++) img.fill(4, y * 1024 + 1008, y * 1024 + 1024);
    const out = await encoder.run({ image: new ort.Tensor('float32', img, [1, 3, 1024, 1024]) });
    assert.deepEqual(out.high_res_feats_0.dims, [1, 32, 256, 256]);
    assert.deepEqual(out.high_res_feats_1.dims, [1, 64, 128, 128]);
    assert.deepEqual(out.image_embed.dims, [1, 256, 64, 64]);
    const emb = out.image_embed.data as Float32Array;
    const at = (c: number, y: number, x: number) => emb[c * 64 * 64 + y * 64 + x];
    assert.equal(at(0, 10, 0), 1);
    assert.equal(at(255, 10, 31), 1);
    assert.equal(at(7, 10, 32), 0);
    assert.ok(Math.abs(at(100, 0, 63) - 4 / 3) < 1e-6);
  });

  async function decode(points: number[][], labels: number[]) {
    const zeros = (dims: number[]) =>
      new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b)), dims);
    const out = await decoder.run({
      image_embed: zeros([1, 256, 64, 64]),
      high_res_feats_0: zeros([1, 32, 256, 256]),
      high_res_feats_1: zeros([1, 64, 128, 128]),
      point_coords: new ort.Tensor('float32', Float32Array.from(points.flat()), [1, points.length, 2]),
      point_labels: new ort.Tensor('float32', Float32Array.from(labels), [1, labels.length]),
      mask_input: zeros([1, 1, 256, 256]),
      has_mask_input: zeros([1]),
    });
    return { masks: out.masks, iou: out.iou_predictions };
  }

  it('returns three cones around the first point and a fixed IoU vector', async () => {
    const { masks, iou } = await decode(
      [
        [401.5, 201.5],
        [10, 10],
      ],
      [1, 0],
    );
    assert.deepEqual(masks.dims, [1, 3, 256, 256]);
    assert.deepEqual(iou.dims, [1, 3]);
    assert.deepEqual(Array.from(iou.data as Float32Array), [...SYNTHETIC_SAM2_IOU].map(Math.fround));
    const m = masks.data as Float32Array;
    const at = (k: number, i: number, j: number) => m[k * 256 * 256 + i * 256 + j];
    // (401.5, 201.5) is the centre of low-res pixel (row 50, col 100): distance 0 there.
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(at(k, 50, 100) - SYNTHETIC_SAM2_RADII[k]) < 1e-4);
    // 30 low-res px to the right: inside mask 1 (r=40) by 10, outside mask 0 (r=20) by 10.
    assert.ok(Math.abs(at(1, 50, 130) - 10) < 1e-4);
    assert.ok(Math.abs(at(0, 50, 130) + 10) < 1e-4);
    // 3-4-5 triangle: 30 down, 40 right → distance 50.
    assert.ok(Math.abs(at(2, 80, 140) - 10) < 1e-4);
  });

  it('follows the first point and accepts a single point', async () => {
    const a = (await decode([[1021.5, 1.5]], [1])).masks.data as Float32Array;
    const at = (i: number, j: number) => a[256 * 256 + i * 256 + j];
    assert.ok(Math.abs(at(0, 255) - 40) < 1e-4);
    assert.ok(at(0, 0) < 0);
    assert.ok(at(255, 255) < 0);
  });
});
