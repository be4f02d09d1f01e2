/**
 * `maskd serve`: the HTTP server, exactly as `npm start`.
 *
 * With `--json` the log lines go to stderr and stdout carries exactly one JSON object once the
 * server listens (`{"address": …, "public_url": …, "model": …}`), so a script can start it with
 * `PORT=0` and learn the port.
 */
import { pino } from 'pino';
import { runServer } from '../server.js';
import { type CliContext, type Command, UsageError } from './cli-context.js';
import { printResult } from './operator-io.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: maskd serve [--json]

Runs the HTTP API until SIGINT/SIGTERM. Configuration comes from PORT, HOST and MASKD_*
variables (see the README). Logs are JSON lines on stdout; with --json they go to stderr and
stdout gets one JSON object once the server listens: {"address", "public_url", "model"}.
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP API (same as npm start; configured by MASKD_* variables)',
  async run(ctx: CliContext): Promise<number> {
    const { values, positionals } = parseCommandArgs('serve', ctx.args, { json: { type: 'boolean' } });
    if (values.help) {
      ctx.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'serve');
    const config = ctx.config();
    const json = values.json === true;
    // Returns once listening; the open server keeps the process alive until SIGINT/SIGTERM.
    const server = await runServer(
      config,
      json ? { log: pino({ level: config.server.logLevel }, pino.destination(2)) } : {},
    );
    // Without --json stdout is the log stream, whose "maskd is serving" line already says this.
    if (json) {
      const ready = { address: server.address, public_url: config.server.publicUrl, model: server.model };
      printResult(ctx, true, ready, '');
    }
    return 0;
  },
};
