/** `maskd credits add`: top up an account (recorded as a ledger grant). */
import { type CliContext, type Command, UsageError } from './cli-context.js';
import { positiveInt, printResult, required, withAccountDeps } from './operator-io.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: maskd credits add --account ACCOUNT_ID --amount N [--note TEXT] [--json]
`;

export const creditsCommand: Command = {
  name: 'credits',
  summary: "add credits to an account's balance",
  async run(ctx: CliContext): Promise<number> {
    const [sub, ...rest] = ctx.args;
    if (sub === '--help' || sub === '-h') {
      ctx.stdout.write(USAGE);
      return 0;
    }
    if (sub !== 'add')
      throw new UsageError(
        sub ? `unknown subcommand "${sub}" (expected add)` : 'missing subcommand',
        'credits',
      );
    const { values } = parseCommandArgs('credits add', rest, {
      account: { type: 'string' },
      amount: { type: 'string' },
      note: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      ctx.stdout.write(USAGE);
      return 0;
    }
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
  },
};
