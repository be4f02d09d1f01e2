import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/cli/cli-context.js';
import { parseCommandArgs } from '../../src/cli/parse-command-args.js';

const OPTIONS = {
  jobs: { type: 'string', short: 'j' },
  model: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const parse = (...args: string[]) => parseCommandArgs('segment', args, OPTIONS);

/** Asserts a one-line UsageError for `segment` whose message is exactly `message`. */
function usage(args: string[], message: string) {
  assert.throws(
    () => parse(...args),
    (err) => {
      assert.ok(err instanceof UsageError, String(err));
      assert.equal(err.command, 'segment');
      assert.equal(err.message, message);
      return true;
    },
  );
}

describe('parseCommandArgs', () => {
  it('parses values, flags, -h and positionals', () => {
    const { values, positionals } = parse('in.jpg', '-j', '2', '--model', 'm', '--json', '-h');
    assert.deepEqual({ ...values }, { jobs: '2', model: 'm', json: true, help: true });
    assert.deepEqual(positionals, ['in.jpg']);
  });

  it('takes a negative number as the value of the option before it', () => {
    for (const args of [['--jobs', '-1'], ['-j', '-1'], ['--jobs=-1']]) {
      assert.deepEqual({ ...parse('in.jpg', ...args).values }, { jobs: '-1' }, args.join(' '));
    }
    assert.equal(parse('--model', '-0.5').values.model, '-0.5');
    assert.equal(parse('--model', '-.5').values.model, '-.5');
  });

  it('refuses another dash-led word in a value’s place in one line', () => {
    usage(
      ['--model', '-x'],
      '--model: missing value before "-x" (to pass a value starting with "-", write --model=-x)',
    );
    usage(
      ['-j', '--json'],
      '-j: missing value before "--json" (to pass a value starting with "-", write --jobs=--json)',
    );
  });

  it('leaves everything after "--" alone', () => {
    const { values, positionals } = parse('--', '--jobs', '-1');
    assert.deepEqual({ ...values }, {});
    assert.deepEqual(positionals, ['--jobs', '-1']);
  });

  it('turns parseArgs failures into one-line usage errors', () => {
    usage(['--pionts', '[[1,2]]'], "Unknown option '--pionts'");
    usage(['--jobs'], "Option '-j, --jobs <value>' argument missing");
    usage(['--json=yes'], "Option '--json' does not take an argument");
  });
});
