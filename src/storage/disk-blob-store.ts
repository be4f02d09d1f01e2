/**
 * BlobStore on the local file system under one root directory.
 * Writes go to a temporary name and are renamed into place, so a crash never leaves a
 * half-written mask where a reader would find it.
 *
 * @example const blobs = createDiskBlobStore({ root: `${config.dataDir}/blobs` });
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertBlobKey, type BlobStore } from './blob-store.js';

export function createDiskBlobStore(opts: { root: string }): BlobStore {
  let tmpCounter = 0;
  const pathOf = (key: string) => {
    assertBlobKey(key);
    return join(opts.root, key);
  };

  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${tmpCounter++}.tmp`;
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, path);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
