/** `maskd serve`: the HTTP server, exactly as `npm start`. */
import { runServer } from '../server.js';
import type { CliContext, Command } from './cli-context.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP API (same as npm start; configured by MASKD_* variables)',
  async run(ctx: CliContext): Promise<number> {
    if (ctx.args.includes('--help') || ctx.args.includes('-h')) {
      ctx.stdout.write(
        'usage: maskd serve\n\nConfiguration comes from PORT, HOST and MASKD_* variables (see the README).\n',
      );
      return 0;
    }
    // Returns once listening; the open server keeps the process alive until SIGINT/SIGTERM.
    await runServer(ctx.config());
    return 0;
  },
};
