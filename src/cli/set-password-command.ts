/**
 * `maskd set-password --email E --password-stdin [--create] [--admin]`: the operator's way to
 * give an account a web sign-in password, e.g. when self sign-up is disabled
 * (MASKD_SIGNUP_ENABLED=false). The password is read from standard input, never from argv,
 * where it would show in `ps` and shell history. Changing it signs the account out everywhere.
 *
 * @example
 *   printf '%s\n' "$PASSWORD" | maskd set-password --email ada@example.com --password-stdin --create
 */
import { createAccountDeps } from '../deps.js';
import { createScryptHasher, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../web/auth/password-hasher.js';
import { createSessionService } from '../web/auth/session-service.js';
import { createSqliteSessionStore } from '../web/auth/sqlite-session-store.js';
import { type CliContext, type Command, UsageError } from './cli-context.js';
import { parseCommandArgs } from './parse-command-args.js';

const USAGE = `usage: maskd set-password --email <address> --password-stdin [--create] [--admin]

  --email <address>   the account to change
  --password-stdin    read the password from standard input (first line)
  --create            create the account if it does not exist yet
  --admin             with --create: make the new account an admin
`;

/** Reads all of standard input; a port so tests can pass a string. */
export type ReadStdin = () => Promise<string>;

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createSetPasswordCommand(ports: { readStdin: ReadStdin }): Command {
  return {
    name: 'set-password',
    summary: 'set an account’s web sign-in password (from stdin)',
    async run(ctx: CliContext): Promise<number> {
      const { values } = parseCommandArgs('set-password', ctx.args, {
        email: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        create: { type: 'boolean' },
        admin: { type: 'boolean' },
      });
      if (values.help) {
        ctx.stdout.write(USAGE);
        return 0;
      }
      if (!values.email) throw new UsageError('--email is required', 'set-password');
      if (!values['password-stdin']) throw new UsageError('--password-stdin is required', 'set-password');
      if (values.admin && !values.create)
        throw new UsageError('--admin only applies with --create', 'set-password');
      const password = (await ports.readStdin()).split(/\r?\n/)[0] ?? '';
      if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
        throw new UsageError(
          `the password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
          'set-password',
        );
      }
      const deps = await createAccountDeps(ctx.config(), { clock: ctx.clock });
      try {
        const hash = await createScryptHasher({ random: deps.random }).hash(password);
        let account = deps.accounts.getByEmail(values.email);
        if (!account && !values.create) {
          ctx.stderr.write(`maskd: no account ${values.email} (add --create to create it)\n`);
          return 1;
        }
        if (!account) {
          const created = deps.accounts.create({
            email: values.email,
            passwordHash: hash,
            isAdmin: values.admin,
          });
          ctx.stdout.write(
            `created ${created.email}${created.isAdmin ? ' (admin)' : ''}; it can now sign in\n`,
          );
          return 0;
        }
        deps.accounts.setPasswordHash(account.id, hash);
        createSessionService({
          store: createSqliteSessionStore({ db: deps.db }),
          clock: ctx.clock,
          random: deps.random,
        }).endAllFor(account.id);
        account = deps.accounts.getByEmail(values.email);
        ctx.stdout.write(`password set for ${account?.email}; its existing sessions were signed out\n`);
        return 0;
      } finally {
        await deps.close();
      }
    },
  };
}

export const setPasswordCommand = createSetPasswordCommand({ readStdin: readProcessStdin });
