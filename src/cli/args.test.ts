import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type OptionSpec, parseCommandLine, UsageError } from './args.ts';

const options: Record<string, OptionSpec> = {
  json: { type: 'boolean' },
  'zero-touch': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  devices: { type: 'string' },
  quirk: { type: 'string', multiple: true },
};

const parse = (argv: string[], allowPositionals = false) =>
  parseCommandLine(argv, options, { allowPositionals });

describe('parseCommandLine', () => {
  it('takes a switch bare, with true|false after it or after =, and as --no-…', () => {
    assert.equal(parse(['--json']).values.json, true);
    assert.equal(parse(['--json', 'true']).values.json, true);
    assert.equal(parse(['--json', 'false']).values.json, false);
    assert.equal(parse(['--json=false']).values.json, false);
    assert.equal(parse(['--json=1']).values.json, true);
    assert.equal(parse(['--no-zero-touch']).values['zero-touch'], false);
    assert.equal(parse(['--zero-touch', 'false', '--devices', '3']).values.devices, '3');
    assert.equal(parse(['-h']).values.help, true);
    assert.equal(parse([]).values.json, undefined);
  });

  it('does not take a positional that is not true|false as a switch’s value', () => {
    const r = parse(['--json', 'capture.xml'], true);
    assert.equal(r.values.json, true);
    assert.deepEqual(r.positionals, ['capture.xml']);
    assert.deepEqual(parse(['--', '--json'], true).positionals, ['--json']);
    assert.deepEqual(parse(['-'], true).positionals, ['-']);
  });

  it('takes string options in both forms, and repeated ones', () => {
    assert.equal(parse(['--devices', '5']).values.devices, '5');
    assert.equal(parse(['--devices=5']).values.devices, '5');
    assert.deepEqual(parse(['--quirk', 'a', '--quirk=b']).values.quirk, ['a', 'b']);
  });

  it('refuses mistakes in one line, naming the option', () => {
    const refused = (argv: string[], message: RegExp) =>
      assert.throws(
        () => parse(argv),
        (error: Error) =>
          error instanceof UsageError &&
          message.test(error.message) &&
          !error.message.includes('\n'),
      );
    refused(['--bogus'], /^unknown option --bogus$/);
    refused(['--no-devices'], /^unknown option --no-devices$/);
    refused(['-x'], /^unknown option -x$/);
    refused(['--json=maybe'], /^--json takes true or false, not "maybe"$/);
    refused(['--devices'], /^--devices takes a value$/);
    refused(['--devices', '--json'], /^--devices takes a value$/);
    refused(['extra'], /^unexpected argument extra$/);
    refused(['--zero-touch', 'off'], /^--zero-touch takes true or false, not "off"$/);
  });
});
