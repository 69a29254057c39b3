/**
 * Summarizes a V8 .cpuprofile (from `node --import tsx --cpu-prof bench/compute.ts ...`): the
 * functions with the most self time, and the most inclusive time, each with its file and share.
 *
 *   npx tsx bench/summarize-cpu-profile.ts PROFILE.cpuprofile [--top 30] [--match packages/]
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface FunctionTime {
  readonly name: string;
  readonly where: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

/** Self and inclusive time per function (recursion counted once per sample). */
export function functionTimes(profile: CpuProfile): { totalMs: number; functions: FunctionTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'}\u0000${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((sample, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const leaf = byId.get(sample);
    if (!leaf) return;
    self.set(keyOf(leaf), (self.get(keyOf(leaf)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const node = byId.get(id);
      if (!node) break;
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + ms);
    }
  });
  const functions = [...total.entries()].map(([key, totalTime]) => {
    const [name = '', where = ''] = key.split('\u0000');
    return { name, where, selfMs: self.get(key) ?? 0, totalMs: totalTime };
  });
  return { totalMs, functions };
}

function shortUrl(url: string): string {
  const at = url.indexOf('/packages/');
  if (at >= 0) return url.slice(at + 1);
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1);
  return url.replace(/^file:\/\//, '') || '(native)';
}

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/summarize-cpu-profile.ts PROFILE.cpuprofile [--top N] [--match TEXT]');
  const top = Number(rest[rest.indexOf('--top') + 1] ?? 30) || 30;
  const match = rest.includes('--match') ? (rest[rest.indexOf('--match') + 1] ?? '') : '';
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const { totalMs, functions } = functionTimes(profile);
  const share = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)}%`;
  const line = (f: FunctionTime) =>
    `${share(f.selfMs).padStart(6)} self ${share(f.totalMs).padStart(6)} total  ${f.name}  ${f.where}`;
  const shown = functions.filter((f) => f.where.includes(match));
  process.stdout.write(`profile ${file}: ${(totalMs / 1000).toFixed(2)} s sampled\n\nby self time:\n`);
  for (const f of [...shown].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) process.stdout.write(`${line(f)}\n`);
  process.stdout.write('\nby total (inclusive) time:\n');
  for (const f of [...shown].sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) process.stdout.write(`${line(f)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
