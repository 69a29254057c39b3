import { randomUUID } from 'node:crypto';
import {
  createAccount,
  createApiToken,
  listAccounts,
  loadAppliedModel,
  readPasswordVariable,
  systemClock,
  updateAccount,
} from '@ordo/server';
import type { Command } from 'commander';
import { print, table } from '../format.ts';
import { withStores } from '../open-stores.ts';

/** The CLI acts as the person at the machine, recorded as such in the audit log. */
const cliActor = 'cli';

export function registerAccountCommands(program: Command): void {
  const account = program.command('account').description('accounts of people who sign in');

  account
    .command('create')
    .argument('<login>', 'the login')
    .description('create an account; the password comes from $ORDO_PASSWORD or stdin (never an argument)')
    .requiredOption('--profile <profile>', 'a profile of the applied configuration (repeat for several)', collect, [])
    .option('--identity <key>', 'the key of the identity this person is (e.g. an employee id)')
    .option('--email <email>', 'email address (matched at the first OIDC sign-in)')
    .option('--display-name <name>', 'the name shown (default: the login)')
    .option('--no-password', 'create an account that signs in only through OIDC')
    .action(
      async (
        login: string,
        options: { profile: string[]; identity?: string; email?: string; displayName?: string; password: boolean },
      ) => {
        const password = options.password ? await readPassword() : null;
        await withStores(program.opts().db, async (stores) => {
          const { model } = await loadAppliedModel(stores);
          const created = await explain(() =>
            createAccount({ stores, clock: systemClock, newId: randomUUID }, model, cliActor, {
              login,
              displayName: options.displayName ?? login,
              email: options.email ?? null,
              identityKey: options.identity ?? null,
              profiles: options.profile,
              password,
            }),
          );
          print(`created account ${created.login} (${created.id}) with ${created.profiles.join(', ') || 'no profile'}`);
        });
      },
    );

  account
    .command('list')
    .description('list the accounts')
    .action(async () => {
      await withStores(program.opts().db, async (stores) => {
        const accounts = await listAccounts({ stores });
        print(
          table(
            ['LOGIN', 'NAME', 'PROFILES', 'IDENTITY', 'OIDC', 'DISABLED'],
            accounts.map((a) => [
              a.login,
              a.displayName,
              a.profiles.join(','),
              a.identityId ?? '',
              a.oidcLinked ? 'linked' : '',
              a.disabled ? 'yes' : '',
            ]),
          ),
        );
      });
    });

  account
    .command('set-password')
    .argument('<login>', 'the login')
    .description("set an account's password from $ORDO_PASSWORD or stdin; its sessions end")
    .action(async (login: string) => {
      const password = await readPassword();
      await withStores(program.opts().db, async (stores) => {
        const { model } = await loadAppliedModel(stores);
        const target = await stores.accounts.byLogin(login);
        if (!target) throw cliError(`no account ${login}`, 'ACCOUNT_NOT_FOUND');
        await explain(() =>
          updateAccount(
            { stores, clock: systemClock, newId: randomUUID },
            model,
            { accountId: '', actor: cliActor },
            target.id,
            { password },
          ),
        );
        print(`password of ${login} changed; its sessions have ended`);
      });
    });

  program
    .command('token')
    .description('API tokens of accounts')
    .command('create')
    .argument('<login>', 'the account the token acts as')
    .argument('<name>', 'what the token is for')
    .option('--expires <iso>', 'expiry date-time (default: none)')
    .description('create an API token; it is printed once and stored only as a hash')
    .action(async (login: string, name: string, options: { expires?: string }) => {
      await withStores(program.opts().db, async (stores) => {
        const target = await stores.accounts.byLogin(login);
        if (!target) throw cliError(`no account ${login}`, 'ACCOUNT_NOT_FOUND');
        const expiresAt = options.expires ? new Date(options.expires) : null;
        if (expiresAt && Number.isNaN(expiresAt.getTime()))
          throw cliError('--expires must be a date-time', 'CLI_INVALID_OPTION');
        const created = await explain(() =>
          createApiToken({ stores, clock: systemClock, newId: randomUUID }, cliActor, {
            accountId: target.id,
            name,
            expiresAt: expiresAt?.toISOString() ?? null,
          }),
        );
        print(created.token);
      });
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `ORDO_PASSWORD`, else stdin (one line from a terminal, or all of a pipe), so it never shows in `ps`. */
async function readPassword(): Promise<string> {
  const fromEnvironment = readPasswordVariable();
  if (fromEnvironment !== null) return fromEnvironment;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.from(chunk));
    if (process.stdin.isTTY && chunk.toString().includes('\n')) break;
  }
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (!password) throw cliError('no password: set ORDO_PASSWORD or pipe it on stdin', 'CLI_INVALID_OPTION');
  return password;
}

/** Prints every bad field of a refused change before the error itself. */
async function explain<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const errors = (error as { extra?: { errors?: { path: string; message: string }[] } }).extra?.errors;
    for (const e of errors ?? []) process.stderr.write(`  ${e.path}: ${e.message}\n`);
    throw error;
  }
}

function cliError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}
