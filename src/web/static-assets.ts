/**
 * The web app's static files (stylesheet, compiled client scripts), read once at start-up into
 * memory from a fixed set of directories. Only names found there can be served, so a request
 * path can never reach anywhere else on disk. A few tens of kilobytes in total.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  /** Strong validator for If-None-Match. */
  etag: string;
}

export interface StaticAssets {
  get(name: string): StaticAsset | undefined;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The repository root, from this compiled file's place in `dist/src/web/`. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Stylesheet from the source tree; client scripts from `tsc -p tsconfig.web.json`. */
const DEFAULT_ASSET_DIRS = [join(ROOT, 'src/web/static'), join(ROOT, 'dist/web/client')];

export async function loadStaticAssets(dirs: readonly string[] = DEFAULT_ASSET_DIRS): Promise<StaticAssets> {
  const files = new Map<string, StaticAsset>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // e.g. client not built yet
      throw err;
    }
    for (const name of names) {
      const contentType = TYPES[extname(name)];
      if (!contentType) continue;
      const body = await readFile(join(dir, name));
      // 22 base64url characters: 132 bits of the content's SHA-256.
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      files.set(name, { body, contentType, etag });
    }
  }
  return { get: (name) => files.get(name) };
}
