import { describe, expect, it } from 'vitest';
import { parseFulfilArguments } from '../fulfil-arguments.ts';

describe('parseFulfilArguments', () => {
  it("defaults to the issue's sizes: 5,000 identities, 50,000 entries, 200 changes, concurrency 8", () => {
    expect(parseFulfilArguments([])).toEqual({
      identities: 5000,
      entries: 50_000,
      changes: 200,
      concurrency: 8,
      hrAgent: 'embedded',
    });
  });

  it('reads every option, as --name value or --name=value, with _ separators', () => {
    expect(
      parseFulfilArguments([
        '--identities',
        '200',
        '--entries=2_000',
        '--changes',
        '10',
        '--concurrency=4',
        '--hr-agent',
        'separate',
      ]),
    ).toEqual({ identities: 200, entries: 2000, changes: 10, concurrency: 4, hrAgent: 'separate' });
  });

  it('rejects what it does not understand, naming it', () => {
    expect(() => parseFulfilArguments(['--identities', '0'])).toThrow(
      /--identities must be a positive integer, not "0"/,
    );
    expect(() => parseFulfilArguments(['--entries', '1.5'])).toThrow(/--entries must be a positive integer/);
    expect(() => parseFulfilArguments(['--changes='])).toThrow(/--changes must be a positive integer, not ""/);
    expect(() => parseFulfilArguments(['--concurrency'])).toThrow(/--concurrency needs a value/);
    expect(() => parseFulfilArguments(['--db', 'sqlite'])).toThrow(/unknown option --db; known: --identities/);
    expect(() => parseFulfilArguments(['5000'])).toThrow(/unexpected argument "5000"/);
    expect(() => parseFulfilArguments(['--hr-agent', 'remote'])).toThrow(/--hr-agent must be embedded or separate/);
  });
});
