/**
 * Every `maskd` subcommand, in the order `maskd --help` lists them. To add one (e.g. `serve`,
 * `accounts`, `keys`, `credits`), write `<name>-command.ts` exporting a `Command` and add it here.
 */
import { accountsCommand } from './accounts-command.js';
import type { Command } from './cli-context.js';
import { creditsCommand } from './credits-command.js';
import { keysCommand } from './keys-command.js';
import { modelsCommand } from './models-command.js';
import { segmentCommand } from './segment-command.js';
import { serveCommand } from './serve-command.js';
import { setPasswordCommand } from './set-password-command.js';

export const commands: readonly Command[] = [
  serveCommand,
  segmentCommand,
  modelsCommand,
  setPasswordCommand,
  accountsCommand,
  keysCommand,
  creditsCommand,
];
