import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchFile } from '../../src/csv/watch-file.ts';
import { useTempDirectory } from './csv-fixture.ts';

const tempDirectory = useTempDirectory();
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the watcher');
    await sleep(10);
  }
}

/** Watches a new file; the stat poll is made too slow to matter unless `options` says otherwise. */
function watched(options: Parameters<typeof watchFile>[2] = { intervalMs: 60_000 }) {
  const path = join(tempDirectory(), 'people.csv');
  writeFileSync(path, 'id\n1\n');
  const state = { calls: 0 };
  stops.push(watchFile(path, () => void (state.calls += 1), options));
  return { path, state };
}

describe('watchFile', () => {
  it('calls soon after the file is written in place', async () => {
    const { path, state } = watched();
    await sleep(80);
    expect(state.calls).toBe(0);
    writeFileSync(path, 'id\n1\n2\n');
    await waitFor(() => state.calls === 1);
  });

  it('calls when another file is renamed over it, and keeps watching the new file', async () => {
    const { path, state } = watched();
    const next = join(tempDirectory(), 'people.csv.tmp');
    writeFileSync(next, 'id\n3\n');
    renameSync(next, path);
    await waitFor(() => state.calls === 1);
    writeFileSync(path, 'id\n4\n');
    await waitFor(() => state.calls === 2);
  });

  it('makes one call of a burst of writes', async () => {
    const { path, state } = watched();
    for (let i = 0; i < 20; i += 1) writeFileSync(path, `id\n${'x'.repeat(i)}\n`);
    await waitFor(() => state.calls === 1);
    await sleep(200);
    expect(state.calls).toBe(1);
  });

  it('notices changes by polling alone', async () => {
    const { path, state } = watched({ events: false, intervalMs: 20 });
    writeFileSync(path, 'id\n5\n');
    await waitFor(() => state.calls === 1);
  });

  it('ignores other files of the directory, and a removal until the file comes back', async () => {
    const { path, state } = watched();
    writeFileSync(join(tempDirectory(), 'other.csv'), 'x\n');
    rmSync(path);
    await sleep(200);
    expect(state.calls).toBe(0);
    writeFileSync(path, 'id\n6\n');
    await waitFor(() => state.calls === 1);
  });

  it('never overlaps calls: a change during a call leads to one more call after it', async () => {
    const path = join(tempDirectory(), 'people.csv');
    writeFileSync(path, 'id\n');
    let running = 0;
    let overlapped = false;
    let calls = 0;
    const errors: unknown[] = [];
    stops.push(
      watchFile(
        path,
        async () => {
          running += 1;
          overlapped ||= running > 1;
          calls += 1;
          await sleep(250);
          running -= 1;
          if (calls === 2) throw new Error('export failed');
        },
        { intervalMs: 60_000, onError: (error) => errors.push(error) },
      ),
    );
    writeFileSync(path, 'id\n1\n');
    await waitFor(() => calls === 1);
    writeFileSync(path, 'id\n1\n2\n');
    await sleep(120);
    expect(calls).toBe(1);
    await waitFor(() => calls === 2);
    await waitFor(() => errors.length === 1);
    expect(overlapped).toBe(false);
    expect((errors[0] as Error).message).toBe('export failed');
  });

  it('makes no call after stop', async () => {
    const path = join(tempDirectory(), 'people.csv');
    writeFileSync(path, 'id\n');
    let calls = 0;
    const stop = watchFile(path, () => void (calls += 1), { intervalMs: 20 });
    stop();
    writeFileSync(path, 'id\n7\n');
    await sleep(200);
    expect(calls).toBe(0);
  });
});
