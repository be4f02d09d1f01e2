/** `maskd keys create|revoke`: API keys for an account. The secret is printed once, at creation. */
import { type CliContext, type Command, UsageError } from './cli-context.js';
import { printResult, printUsage, required, subcommands, withAccountDeps } from './operator-io.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: maskd keys create --account ACCOUNT_ID [--name NAME] [--json]
       maskd keys revoke KEY_PREFIX [--json]

  create   issue a key and print it (shown only this once; only its hash is stored)
  revoke   revoke the active key with this display prefix (e.g. sk-live-AbCd1234)
`;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'issue and revoke API keys',
  run: subcommands('keys', USAGE, { create, revoke }),
};

async function create(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parseCommandArgs('keys create', args, {
    account: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return printUsage(ctx, USAGE);
  const accountId = required(values.account, 'account', 'keys create');
  return withAccountDeps(ctx, (deps) => {
    const { key, info } = deps.apiKeys.create({ accountId, name: values.name });
    printResult(
      ctx,
      values.json === true,
      { key, prefix: info.prefix, key_id: info.id, account_id: accountId, name: info.name },
      key,
    );
    return 0;
  });
}

async function revoke(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('keys revoke', args, { json: { type: 'boolean' } });
  if (values.help) return printUsage(ctx, USAGE);
  const prefix = positionals[0];
  if (!prefix) throw new UsageError('missing KEY_PREFIX', 'keys revoke');
  return withAccountDeps(ctx, (deps) => {
    const info = deps.apiKeys.revokeByPrefix(prefix);
    printResult(
      ctx,
      values.json === true,
      { revoked: true, prefix: info.prefix, key_id: info.id, account_id: info.accountId },
      `revoked ${info.prefix}`,
    );
    return 0;
  });
}
