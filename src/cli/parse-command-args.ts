/**
 * `node:util` parseArgs with maskd's conventions: strict, `--help`/`-h` on every command, and
 * parse failures turned into UsageError (exit 2) naming the option, in one line.
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
  const allOptions: Options = { ...options, help: { type: 'boolean', short: 'h' } };
  try {
    const parsed = parseArgs({
      args: attachDashValues(command, args, allOptions),
      options: allOptions,
      allowPositionals: true,
      strict: true,
    });
    return parsed as unknown as ParsedCommandArgs<O>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // parseArgs messages are already clear ("Unknown option '--pionts'"); keep their first line
    // and drop the advice about "--", which does not apply to maskd's arguments.
    const first = (err as Error).message.split('\n')[0] ?? '';
    throw new UsageError(first.replace(/\. To specify a positional argument.*$/, ''), command);
  }
}

/** A word that is a number below zero, never an option: maskd has no options named by digits. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * parseArgs answers `--jobs -1` with a three-line "argument is ambiguous" message, because a
 * value starting with "-" may be a forgotten value followed by another option. A negative number
 * cannot be an option, so it is joined to its option here (`--jobs=-1`) and reaches the
 * command's own check ("at least 1"); any other dash-led word in a value's place is refused in
 * one line that says how to pass it if it really is the value.
 */
function attachDashValues(command: string, args: readonly string[], options: Options): string[] {
  // "--jobs" and "-j" → "jobs", for the options that take a value.
  const takesValue = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string') continue;
    takesValue.set(`--${name}`, name);
    if (o.short) takesValue.set(`-${o.short}`, name);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return out.concat(args.slice(i)); // the rest is positional
    const name = takesValue.get(arg);
    const value = args[i + 1];
    if (name === undefined || value === undefined || value.length < 2 || !value.startsWith('-')) {
      out.push(arg);
      continue;
    }
    if (!NEGATIVE_NUMBER.test(value)) {
      throw new UsageError(
        `${arg}: missing value before "${value}" (to pass a value starting with "-", write --${name}=${value})`,
        command,
      );
    }
    out.push(`--${name}=${value}`);
    i++;
  }
  return out;
}
