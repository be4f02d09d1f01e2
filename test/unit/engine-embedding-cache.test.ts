import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEmbeddingCache, imageKey } from '../../src/engine/embedding-cache.js';

const bytesOf = (v: Uint8Array) => v.byteLength;

describe('createEmbeddingCache', () => {
  it('evicts least recently used entries to stay within the byte budget', () => {
    const c = createEmbeddingCache<Uint8Array>({ maxBytes: 100, sizeOf: bytesOf });
    const [a, b, cc] = [new Uint8Array(40), new Uint8Array(40), new Uint8Array(40)];
    c.set('a', a);
    c.set('b', b);
    assert.equal(c.get('a'), a, 'a is now the most recently used');
    c.set('c', cc); // 120 > 100: evicts b, the LRU one
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), a);
    assert.equal(c.get('c'), cc);
    assert.deepEqual(c.stats(), { hits: 3, misses: 1, entries: 2, bytes: 80 });
  });

  it('evicts as many entries as a big value needs', () => {
    const c = createEmbeddingCache<Uint8Array>({ maxBytes: 100, sizeOf: bytesOf });
    const values = new Map(['a', 'b', 'c', 'd'].map((k) => [k, new Uint8Array(25)]));
    for (const [k, v] of values) c.set(k, v);
    const big = new Uint8Array(70);
    c.set('big', big);
    assert.deepEqual(c.stats(), { hits: 0, misses: 0, entries: 2, bytes: 95 });
    assert.equal(c.get('d'), values.get('d'));
    assert.equal(c.get('big'), big);
    for (const k of ['a', 'b', 'c']) assert.equal(c.get(k), undefined, `${k} evicted`);
  });

  it('never stores a value larger than the budget, and a 0 budget disables caching', () => {
    const c = createEmbeddingCache<Uint8Array>({ maxBytes: 10, sizeOf: bytesOf });
    const a = new Uint8Array(5);
    c.set('a', a);
    c.set('huge', new Uint8Array(11));
    assert.equal(c.get('huge'), undefined);
    assert.equal(c.get('a'), a, 'an oversized value evicts nothing');
    const off = createEmbeddingCache<Uint8Array>({ maxBytes: 0, sizeOf: bytesOf });
    off.set('a', new Uint8Array(1));
    assert.equal(off.get('a'), undefined);
    assert.deepEqual(off.stats(), { hits: 0, misses: 1, entries: 0, bytes: 0 });
  });

  it('replacing a key does not double-count its bytes', () => {
    const c = createEmbeddingCache<Uint8Array>({ maxBytes: 100, sizeOf: bytesOf });
    c.set('a', new Uint8Array(60));
    c.set('a', new Uint8Array(30));
    assert.deepEqual(c.stats(), { hits: 0, misses: 0, entries: 1, bytes: 30 });
  });
});

describe('imageKey', () => {
  const img = (w: number, h: number, fill = 0) => ({
    data: new Uint8Array(w * h * 3).fill(fill),
    width: w,
    height: h,
  });

  it('depends on pixels, dimensions and model, as a sha256 hex digest', async () => {
    const k = await imageKey(img(2, 3), 'm');
    assert.match(k, /^[0-9a-f]{64}$/);
    assert.equal(await imageKey(img(2, 3), 'm'), k);
    assert.notEqual(await imageKey(img(3, 2), 'm'), k);
    assert.notEqual(await imageKey(img(2, 3, 1), 'm'), k);
    assert.notEqual(await imageKey(img(2, 3), 'other'), k);
  });

  it('hashes large images in chunks to the same digest as one pass', async () => {
    const { createHash } = await import('node:crypto');
    // 24 MiB of pixels: three chunks.
    const big = { data: new Uint8Array(4096 * 2048 * 3).map((_, i) => i * 31), width: 4096, height: 2048 };
    const once = createHash('sha256')
      .update(`m\0${big.width}x${big.height}\0`)
      .update(big.data)
      .digest('hex');
    assert.equal(await imageKey(big, 'm'), once);
  });
});
