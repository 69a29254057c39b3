import { type FSWatcher, statSync, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

export interface WatchFileOptions {
  /** How often the file is also checked by `stat`, in case file-system events are lost. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Quiet time after the last event before `onChange` runs, so one save is one call. Default 50 ms. */
  readonly debounceMs?: number;
  /** Use file-system events (default); when false, polling only. */
  readonly events?: boolean;
  /** Receives what `onChange` throws or rejects with; without it such failures are dropped. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Calls `onChange` soon after a file changes: written in place, or replaced by renaming another
 * file over it (how editors and careful drop jobs save). It watches the directory rather than the
 * file, because a watch on the file itself follows the old inode after a rename-over. A `stat`
 * poll backs the events up, for file systems that send none (network shares, some containers).
 *
 * Calls never overlap: a change during a running `onChange` leads to one more call after it.
 * A removed file calls nothing; its reappearance does.
 *
 * @returns stop(): ends the watch; no call starts afterwards.
 */
export function watchFile(
  path: string,
  onChange: () => void | Promise<void>,
  options: WatchFileOptions = {},
): () => void {
  const file = resolve(path);
  const name = basename(file);
  const intervalMs = options.intervalMs ?? 1000;
  const debounceMs = options.debounceMs ?? 50;
  let notified = signatureNow(file);
  let stopped = false;
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  /** Events restart the quiet time; a poll only makes sure a check is coming. */
  const schedule = (restart: boolean): void => {
    if (stopped || (timer !== undefined && !restart)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void check();
    }, debounceMs);
  };

  const check = async (): Promise<void> => {
    const current = await signature(file);
    if (stopped || current === null || current === notified) return;
    if (running) {
      again = true;
      return;
    }
    notified = current;
    running = true;
    try {
      await onChange();
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      await check();
    }
  };

  let watcher: FSWatcher | null = null;
  if (options.events !== false) {
    try {
      watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name) schedule(true);
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = null;
      });
    } catch {
      watcher = null;
    }
  }

  const poll = setInterval(() => {
    void signature(file).then((current) => {
      if (current !== null && current !== notified) schedule(false);
    });
  }, intervalMs);
  poll.unref();

  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(poll);
    watcher?.close();
  };
}

/** Identity and content stamp of the file; null when it does not exist (or cannot be read). */
async function signature(file: string): Promise<string | null> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return null;
  }
}

function signatureNow(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true, throwIfNoEntry: false });
    return s === undefined ? null : `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return null;
  }
}
