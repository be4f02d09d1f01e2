/** `maskd accounts create|show`: operator account management on the configured data dir. */
import { AppError, isAppError } from '../errors/app-error.js';
import { type CliContext, type Command, UsageError } from './cli-context.js';
import {
  nonNegativeInt,
  printResult,
  printUsage,
  required,
  subcommands,
  withAccountDeps,
} from './operator-io.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: maskd accounts create --email EMAIL [--credits N] [--admin] [--json]
       maskd accounts show ACCOUNT_ID [--json]

  create   create an account; prints its id (with --credits, grants a starting balance)
  show     an account's email, balance, state and keys
`;

export const accountsCommand: Command = {
  name: 'accounts',
  summary: 'create and inspect accounts',
  run: subcommands('accounts', USAGE, { create, show }),
};

async function create(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('accounts create', args, {
    email: { type: 'string' },
    credits: { type: 'string' },
    admin: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return printUsage(ctx, USAGE);
  const email = required(values.email, 'email', 'accounts create');
  const credits =
    values.credits === undefined ? 0 : nonNegativeInt(values.credits, 'credits', 'accounts create');
  return withAccountDeps(ctx, (deps) => {
    const account = createAccount(() => deps.accounts.create({ email, isAdmin: values.admin === true }));
    const balance =
      credits > 0 ? deps.credits.grant(account.id, credits, 'operator: initial credits').balanceAfter : 0;
    printResult(
      ctx,
      values.json === true,
      { account_id: account.id, email: account.email, balance, is_admin: account.isAdmin },
      account.id,
    );
    return 0;
  });
}

async function show(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('accounts show', args, { json: { type: 'boolean' } });
  if (values.help) return printUsage(ctx, USAGE);
  const id = positionals[0];
  if (!id) throw new UsageError('missing ACCOUNT_ID', 'accounts show');
  return withAccountDeps(ctx, (deps) => {
    const account = deps.accounts.get(id);
    // Not a usage mistake (exit 2) but a lookup that found nothing (exit 1), like `keys create`.
    if (!account) throw new AppError('not_found', `No account with id "${id}"`);
    const keys = deps.apiKeys.list(id);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const object = {
      account_id: account.id,
      email: account.email,
      balance: account.balance,
      is_admin: account.isAdmin,
      disabled_at: iso(account.disabledAt),
      created_at: iso(account.createdAt),
      keys: keys.map((k) => ({
        key_id: k.id,
        prefix: k.prefix,
        name: k.name,
        created_at: iso(k.createdAt),
        last_used_at: iso(k.lastUsedAt),
        revoked_at: iso(k.revokedAt),
      })),
    };
    const text = [
      `${account.email}  ${account.id}`,
      `balance ${account.balance}${account.isAdmin ? '  admin' : ''}${account.disabledAt ? '  DISABLED' : ''}`,
      ...keys.map((k) => `key ${k.prefix}…  ${k.name}${k.revokedAt ? '  revoked' : ''}`),
    ].join('\n');
    printResult(ctx, values.json === true, object, text);
    return 0;
  });
}

/** The service's email check, reworded as the option the operator typed. */
function createAccount<T>(create: () => T): T {
  try {
    return create();
  } catch (err) {
    if (isAppError(err) && err.code === 'validation' && err.details.field === 'email') {
      throw new UsageError(`--email is ${err.message}`, 'accounts create');
    }
    throw err;
  }
}
