/** `maskd credits add`: top up an account (recorded as a ledger grant). */
import type { CliContext, Command } from './cli-context.js';
import {
  positiveInt,
  printResult,
  printUsage,
  required,
  subcommands,
  withAccountDeps,
} from './operator-io.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: maskd credits add --account ACCOUNT_ID --amount N [--note TEXT] [--json]
`;

export const creditsCommand: Command = {
  name: 'credits',
  summary: "add credits to an account's balance",
  run: subcommands('credits', USAGE, { add }),
};

async function add(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('credits add', args, {
    account: { type: 'string' },
    amount: { type: 'string' },
    note: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return printUsage(ctx, USAGE);
  const accountId = required(values.account, 'account', 'credits add');
  const amount = positiveInt(values.amount, 'amount', 'credits add');
  return withAccountDeps(ctx, (deps) => {
    const entry = deps.credits.grant(accountId, amount, values.note ?? 'operator: credits add');
    printResult(
      ctx,
      values.json === true,
      { account_id: accountId, added: amount, balance: entry.balanceAfter },
      `balance ${entry.balanceAfter}`,
    );
    return 0;
  });
}
