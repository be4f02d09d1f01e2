import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { feedTensor, fixedDim, noMaskFeeds, pointFeeds } from '../../src/engine/feed-tensors.js';
import { detectModelFamily } from '../../src/engine/model-family.js';
import { isAppError } from '../../src/errors/app-error.js';

const io = (...names: string[]) => names.map((name) => ({ name }));

const sam1 = {
  encoder: { inputs: io('input'), outputs: io('output') },
  decoder: {
    inputs: io(
      'image_embeddings',
      'point_coords',
      'point_labels',
      'mask_input',
      'has_mask_input',
      'orig_im_size',
    ),
    outputs: io('masks', 'iou_predictions', 'low_res_masks'),
  },
};
const sam2 = {
  encoder: { inputs: io('image'), outputs: io('high_res_feats_0', 'high_res_feats_1', 'image_embed') },
  decoder: {
    inputs: io(
      'image_embed',
      'high_res_feats_0',
      'high_res_feats_1',
      'point_coords',
      'point_labels',
      'mask_input',
      'has_mask_input',
    ),
    outputs: io('masks', 'iou_predictions'),
  },
};

describe('detectModelFamily', () => {
  it('recognises the SAM 1 and SAM 2 interfaces', () => {
    assert.equal(detectModelFamily(sam1.encoder, sam1.decoder), 'sam1');
    assert.equal(detectModelFamily(sam2.encoder, sam2.decoder), 'sam2');
  });

  it('rejects graphs matching neither, naming what it found', () => {
    const bad = [
      [sam1.encoder, sam2.decoder], // SAM 2 decoder needs high-res features the encoder lacks
      [sam2.encoder, { inputs: io('x'), outputs: io('y') }],
      [{ inputs: io('a', 'b'), outputs: io('c') }, sam1.decoder], // SAM 1 encoder has one input
      [sam1.encoder, { inputs: sam1.decoder.inputs.slice(1), outputs: sam1.decoder.outputs }],
    ] as const;
    for (const [enc, dec] of bad) {
      assert.throws(
        () => detectModelFamily(enc, dec),
        (err) =>
          isAppError(err) &&
          err.code === 'model_incompatible' &&
          /neither the SAM 1 nor the SAM 2/.test(err.message),
      );
    }
    assert.throws(
      () => detectModelFamily(sam2.encoder, { inputs: io('x'), outputs: io('y') }),
      /decoder inputs \[x\]/,
    );
  });
});

describe('feedTensor', () => {
  const values = Float32Array.from([1, -1, 2.6]);

  it('follows the declared element type', () => {
    assert.deepEqual(feedTensor(values, [3], { name: 'l', type: 'float32', shape: [3] }), {
      type: 'float32',
      data: values,
      dims: [3],
    });
    const i64 = feedTensor(values, [3], { name: 'l', type: 'int64', shape: [] });
    assert.equal(i64.type, 'int64');
    assert.deepEqual([...i64.data], [1n, -1n, 3n]);
    const i32 = feedTensor(values, [3], { name: 'l', type: 'int32', shape: [] });
    assert.equal(i32.type, 'int32');
    assert.ok(i32.data instanceof Int32Array);
    assert.deepEqual([...i32.data], [1, -1, 3]);
  });

  it('passes the values through as float32 without metadata', () => {
    const t = feedTensor(values, [1, 3], undefined);
    assert.deepEqual(t, { type: 'float32', data: values, dims: [1, 3] });
    assert.equal(t.data, values, 'no copy');
  });
});

describe('pointFeeds and noMaskFeeds', () => {
  const inputs = [
    { name: 'point_coords', type: 'float32', shape: [1, 'n', 2] },
    { name: 'point_labels', type: 'int64', shape: [1, 'n'] },
    { name: 'mask_input', type: 'float32', shape: [1, 1, 64, 64] },
    { name: 'has_mask_input', type: 'int32', shape: [1] },
  ];

  it('shapes the points as [1, n, 2] and [1, n] in the declared dtypes', () => {
    const coords = Float32Array.of(1, 2, 3, 4);
    const feeds = pointFeeds(inputs, { coords, labels: Float32Array.of(1, -1), n: 2 });
    assert.deepEqual(feeds.point_coords, { type: 'float32', data: coords, dims: [1, 2, 2] });
    assert.equal(feeds.point_labels?.type, 'int64');
    assert.deepEqual([...(feeds.point_labels?.data ?? [])], [1n, -1n]);
    assert.deepEqual(feeds.point_labels?.dims, [1, 2]);
  });

  it('says "no previous mask": zeros of the graph’s mask size, else a quarter of the input', () => {
    const fixed = noMaskFeeds(inputs, 1024);
    assert.deepEqual(Object.keys(fixed), ['mask_input', 'has_mask_input']);
    assert.deepEqual(fixed.mask_input?.dims, [1, 1, 64, 64]);
    assert.equal(fixed.mask_input?.data.length, 64 * 64);
    assert.ok(fixed.mask_input?.data.every((v) => v === 0));
    assert.deepEqual(fixed.has_mask_input, { type: 'int32', data: Int32Array.of(0), dims: [1] });
    const unknown = noMaskFeeds([], 1024);
    assert.deepEqual(unknown.mask_input?.dims, [1, 1, 256, 256]);
    assert.deepEqual(unknown.has_mask_input, { type: 'float32', data: Float32Array.of(0), dims: [1] });
  });
});

describe('fixedDim', () => {
  it('reads a fixed axis, falling back for symbolic or missing ones', () => {
    const input = { name: 'input', type: 'float32', shape: ['batch', 3, 1024, 1024] };
    assert.equal(fixedDim(input, 3, 7), 1024);
    assert.equal(fixedDim(input, 0, 7), 7);
    assert.equal(fixedDim(undefined, 3, 7), 7);
  });
});
