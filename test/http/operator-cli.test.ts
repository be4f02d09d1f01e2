/**
 * The operator CLI as a user runs it (`node bin/maskd.js …`) on a temp data dir, and the printed
 * key used against the app built on the same data dir.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestApp, postImage, type TestApp } from '../helpers/test-app.js';

const run = promisify(execFile);

describe('operator CLI', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'maskd-cli-'));
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  async function maskd(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    try {
      const r = await run(process.execPath, ['bin/maskd.js', ...args], {
        env: { PATH: process.env.PATH, MASKD_DATA_DIR: dataDir, MASKD_ENGINE: 'stub' },
      });
      return { ...r, code: 0 };
    } catch (err) {
      const e = err as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  }
  const json = async (...args: string[]) => {
    const r = await maskd(...args, '--json');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'exactly one JSON object');
    return JSON.parse(lines[0]);
  };

  test('accounts create → keys create → credits add → the key works over HTTP; revoke → 401', async () => {
    const created = await json('accounts', 'create', '--email', 'ops@example.com', '--credits', '2');
    assert.match(created.account_id, /^[0-9a-f-]{36}$/);
    assert.equal(created.balance, 2);
    const issued = await json('keys', 'create', '--account', created.account_id, '--name', 'ci');
    assert.match(issued.key, /^sk-live-[A-Za-z0-9_-]{43}$/);
    assert.equal(issued.prefix, issued.key.slice(0, 16));
    const topped = await json('credits', 'add', '--account', created.account_id, '--amount', '3');
    assert.deepEqual(topped, { account_id: created.account_id, added: 3, balance: 5 });
    const shown = await json('accounts', 'show', created.account_id);
    assert.equal(shown.balance, 5);
    assert.equal(shown.keys[0].prefix, issued.prefix);
    assert.doesNotMatch(JSON.stringify(shown), new RegExp(issued.key));

    let t: TestApp = await createTestApp({ dataDir });
    try {
      const res = await postImage(t, issued.key);
      assert.equal(res.statusCode, 200);
      assert.equal(t.deps.credits.balance(created.account_id), 4);
    } finally {
      await t.close({ keepData: true });
    }

    const revoked = await json('keys', 'revoke', issued.prefix);
    assert.equal(revoked.key_id, issued.key_id);
    t = await createTestApp({ dataDir });
    try {
      assert.equal((await postImage(t, issued.key)).statusCode, 401);
    } finally {
      await t.close({ keepData: true });
    }
  });

  test('plain output is one line; mistakes exit 2 with a message', async () => {
    const plain = await maskd('accounts', 'create', '--email', 'plain@example.com');
    assert.equal(plain.code, 0);
    assert.match(plain.stdout, /^[0-9a-f-]{36}\n$/);
    const dup = await maskd('accounts', 'create', '--email', 'plain@example.com');
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
    const bad = await maskd('credits', 'add', '--account', 'x', '--amount=-4');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--amount must be a positive integer/);
  });

  test('messages name what went wrong; unknown ids exit 1, usage mistakes exit 2, stdout stays empty', async () => {
    const cases: [string[], number, RegExp][] = [
      [
        ['accounts', 'create', '--email', 'not-an-email', '--json'],
        2,
        /^maskd: --email is not a valid email address \(see: maskd accounts create --help\)\n$/,
      ],
      [
        ['accounts', 'create', '--email', 'x@example.com', '--credits', 'lots'],
        2,
        /--credits must be a whole number/,
      ],
      [['accounts', 'show', 'nope', '--json'], 1, /^maskd: No account with id "nope"\n$/],
      [['keys', 'create', '--account', 'nope', '--json'], 1, /^maskd: No account with id "nope"\n$/],
      [
        ['credits', 'add', '--account', 'nope', '--amount', '5', '--json'],
        1,
        /^maskd: No account with id "nope"\n$/,
      ],
      [['keys', 'revoke', 'sk-live-nothere', '--json'], 1, /No active key with prefix sk-live-nothere/],
      [['keys', 'revoke'], 2, /missing KEY_PREFIX/],
      [['accounts', 'toString'], 2, /unknown subcommand "toString" \(expected create or show\)/],
      [['credits'], 2, /missing subcommand/],
      [['serve', 'now'], 2, /unexpected argument "now"/],
      [['serve', '--port', '9'], 2, /Unknown option '--port'/],
    ];
    for (const [args, code, message] of cases) {
      const r = await maskd(...args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  test('--credits 0 is allowed; --json answers are exactly one object', async () => {
    const created = await json('accounts', 'create', '--email', 'zero@example.com', '--credits', '0');
    assert.equal(created.balance, 0);
    const shown = await json('accounts', 'show', created.account_id);
    assert.deepEqual(shown.keys, []);
  });

  test('serve --json: one JSON object on stdout once listening, logs on stderr, clean exit on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/maskd.js', 'serve', '--json'], {
      env: {
        PATH: process.env.PATH,
        MASKD_DATA_DIR: dataDir,
        MASKD_ENGINE: 'stub',
        PORT: '0',
        HOST: '127.0.0.1',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    try {
      for (let i = 0; i < 200 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 25));
      const ready = JSON.parse(stdout);
      assert.deepEqual(Object.keys(ready), ['address', 'public_url', 'model']);
      assert.equal(ready.model, 'stub');
      assert.match(ready.address, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${ready.address}/healthz`)).status, 200);
      assert.match(stderr, /"msg":"maskd is serving"/);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim().split('\n').length, 1, 'exactly one line on stdout');
  });
});
