import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import { createSetPasswordCommand } from '../../src/cli/set-password-command.js';
import { createTestApp } from '../helpers/test-app.js';
import { TEST_SCRYPT, WebAgent } from './web-agent.js';

function sink() {
  let text = '';
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
}

describe('maskd set-password', () => {
  const dirs: string[] = [];
  after(async () => {
    process.exitCode = 0;
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function run(dataDir: string, args: string[], stdin: string) {
    const out = sink();
    const err = sink();
    const code = await main(['set-password', ...args], {
      env: { MASKD_DATA_DIR: dataDir, MASKD_LOG_LEVEL: 'silent' },
      stdout: out,
      stderr: err,
      commands: [createSetPasswordCommand({ readStdin: async () => stdin })],
    });
    process.exitCode = 0;
    return { code, stdout: out.text, stderr: err.text };
  }

  it('creates an account that can sign in with sign-up disabled, and changes its password', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'maskd-setpw-'));
    dirs.push(dataDir);
    const created = await run(
      dataDir,
      ['--email', 'ops@example.com', '--password-stdin', '--create', '--admin'],
      'first password\n',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /created ops@example.com \(admin\)/);

    const t = await createTestApp({
      dataDir,
      overrides: { scrypt: TEST_SCRYPT },
      env: { MASKD_SIGNUP_ENABLED: 'false' },
    });
    try {
      const a = new WebAgent(t.app);
      assert.equal((await a.signIn('ops@example.com', 'first password')).statusCode, 303);
      assert.equal((await a.get('/account/admin')).statusCode, 200);

      const changed = await run(
        dataDir,
        ['--email', 'ops@example.com', '--password-stdin'],
        'second password',
      );
      assert.equal(changed.code, 0, changed.stderr);
      assert.equal((await a.get('/account')).statusCode, 303, 'existing sessions were signed out');
      assert.equal((await new WebAgent(t.app).signIn('ops@example.com', 'first password')).statusCode, 401);
      assert.equal((await new WebAgent(t.app).signIn('ops@example.com', 'second password')).statusCode, 303);
    } finally {
      await t.close({ keepData: true });
    }
  });

  it('refuses a missing account without --create, a short password, and a password on argv', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'maskd-setpw-'));
    dirs.push(dataDir);
    assert.equal(
      (await run(dataDir, ['--email', 'x@example.com', '--password-stdin'], 'long enough pw')).code,
      1,
    );
    assert.equal(
      (await run(dataDir, ['--email', 'x@example.com', '--password-stdin', '--create'], 'short')).code,
      2,
    );
    assert.equal((await run(dataDir, ['--email', 'x@example.com', '--password', 'oops'], '')).code, 2);
  });
});
