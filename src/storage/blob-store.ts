/**
 * Blobs (uploaded images awaiting processing, finished masks) behind one interface, so a
 * bucket store can replace local disk without touching the job code.
 *
 * Keys are relative, slash-separated, `[a-z0-9._-]` segments, e.g. `masks/<job id>.png`.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** null when there is no such blob. */
  get(key: string): Promise<Buffer | null>;
  /** No-op when absent. */
  delete(key: string): Promise<void>;
}

const KEY = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** @throws Error for a key that could escape the store's root (`..`, absolute, odd characters). */
export function assertBlobKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
}
