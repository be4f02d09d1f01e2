/**
 * A real listening maskd for browser tests: temp data dir, real SQLite, the real bundled model
 * (stub engine only when asked), system clock, public URL pointing at the chosen port.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { createDeps, type Deps } from '../../src/deps.js';
import { TEST_SCRYPT } from './web-agent.js';

export interface BrowserServer {
  url: string;
  deps: Deps;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startBrowserServer(opts: {
  engine: 'onnx' | 'stub';
  /** Extra MASKD_* variables, e.g. MASKD_TRUST_PROXY. */
  env?: Record<string, string>;
}): Promise<BrowserServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'maskd-browser-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    MASKD_DATA_DIR: dataDir,
    MASKD_ENGINE: opts.engine,
    MASKD_LOG_LEVEL: 'silent',
    MASKD_PUBLIC_URL: url,
    ...opts.env,
  });
  const deps = await createDeps(config, { scrypt: TEST_SCRYPT });
  const app = await buildApp(deps);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    deps,
    async close() {
      await app.close();
      await deps.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
