/** Something that says when it may be worth checking again (the observed port, after each report). */
export interface RecordedEvents {
  onRecorded(listener: () => void): () => void;
}

/**
 * Resolves with the first non-null result of `check`, which runs at once, after each recorded
 * event and every `pollMs` (a backstop for changes no event announced). Checks never overlap: an
 * event during a check asks for one more. A check that throws rejects the wait; so does
 * `stalledMs` without `progress()` changing (a run that stopped moving, rather than a slow one).
 */
export function waitUntil<T>(
  events: RecordedEvents,
  check: () => Promise<T | null>,
  options: { pollMs: number; stalledMs: number; what: string; progress?: () => number },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let running = false;
    let again = false;
    let finished = false;
    let lastProgress = options.progress?.() ?? 0;
    let lastMoved = performance.now();
    const finish = (outcome: () => void) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      unsubscribe();
      outcome();
    };
    const run = async (): Promise<void> => {
      if (finished) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const result = await check();
          if (result !== null) return finish(() => resolve(result));
          const progress = options.progress?.() ?? 0;
          if (progress !== lastProgress) {
            lastProgress = progress;
            lastMoved = performance.now();
          } else if (performance.now() - lastMoved > options.stalledMs) {
            return finish(() =>
              reject(new Error(`bench: ${options.what}: no progress for ${Math.round(options.stalledMs / 1000)} s`)),
            );
          }
        } while (again && !finished);
      } catch (error) {
        finish(() => reject(error));
      } finally {
        running = false;
      }
    };
    const unsubscribe = events.onRecorded(() => void run());
    const timer = setInterval(() => void run(), options.pollMs);
    void run();
  });
}
