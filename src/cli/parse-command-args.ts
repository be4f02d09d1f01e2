/**
 * `node:util` parseArgs with maskd's conventions: strict, `--help`/`-h` on every command, and
 * parse failures turned into UsageError (exit 2) naming the option.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './cli-context.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandArgs<O extends Options> {
  values: { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string } & { help?: boolean };
  positionals: string[];
}

/**
 * @example
 *   const { values, positionals } = parseCommandArgs('segment', ctx.args, { box: { type: 'string' } });
 */
export function parseCommandArgs<O extends Options>(
  command: string,
  args: string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return parsed as unknown as ParsedCommandArgs<O>;
  } catch (err) {
    // parseArgs messages are already clear ("Unknown option '--pionts'"); drop its advice
    // about "--" which does not apply to maskd's arguments.
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message, command);
  }
}
