import { BenchArgumentError } from './bench-arguments.ts';

/** What `npm run bench:fulfil` measures, and at which size. */
export interface FulfilArguments {
  /** People provisioned end to end (one account and one group membership each). */
  readonly identities: number;
  /** LDAP entries exported and synchronized. */
  readonly entries: number;
  /** HR changes whose latency to 4 Verified is measured, one at a time. */
  readonly changes: number;
  /** Orders the agent runs at once, and parallel requests of the raw baseline. */
  readonly concurrency: number;
  /**
   * `embedded` (default): the HR file is exported by the embedded agent, as the issue describes.
   * `separate`: by a second in-process agent, so the embedded one leases for the directory alone
   * (a diagnostic of the agent's lease loop; see bench/README.md).
   */
  readonly hrAgent: 'embedded' | 'separate';
}

/** The issue's sizes: the bars are stated for these. */
export const fulfilDefaults: FulfilArguments = {
  identities: 5_000,
  entries: 50_000,
  changes: 200,
  concurrency: 8,
  hrAgent: 'embedded',
};

const options = ['identities', 'entries', 'changes', 'concurrency', 'hr-agent'] as const;
const sizes = ['identities', 'entries', 'changes', 'concurrency'] as const;

/**
 * `--identities N --entries M --changes K --concurrency C` (also `--name=value`): positive
 * integers, `_` allowed as a digit separator (`--entries 50_000`); `--hr-agent embedded|separate`.
 * @throws BenchArgumentError naming the option at fault.
 */
export function parseFulfilArguments(argv: readonly string[]): FulfilArguments {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new BenchArgumentError(`bench: unexpected argument "${arg}" (see bench/fulfil.ts)`);
    const name = match[1];
    if (!(options as readonly string[]).includes(name)) {
      throw new BenchArgumentError(
        `bench: unknown option --${name}; known: ${options.map((o) => `--${o}`).join(', ')}`,
      );
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new BenchArgumentError(`bench: --${name} needs a value`);
    values.set(name, value);
  }
  const read = (name: (typeof sizes)[number]) => {
    const text = values.get(name);
    return text === undefined ? fulfilDefaults[name] : positiveInteger(`--${name}`, text);
  };
  const hrAgent = values.get('hr-agent') ?? fulfilDefaults.hrAgent;
  if (hrAgent !== 'embedded' && hrAgent !== 'separate') {
    throw new BenchArgumentError(`bench: --hr-agent must be embedded or separate, not "${hrAgent}"`);
  }
  return {
    identities: read('identities'),
    entries: read('entries'),
    changes: read('changes'),
    concurrency: read('concurrency'),
    hrAgent,
  };
}

function positiveInteger(name: string, text: string): number {
  const n = Number(text.replaceAll('_', ''));
  if (text.trim() === '' || !Number.isInteger(n) || n <= 0) {
    throw new BenchArgumentError(`bench: ${name} must be a positive integer, not "${text}"`);
  }
  return n;
}
