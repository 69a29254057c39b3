/**
 * Wakes agents waiting in a long poll when orders become available, so that an order reaches its
 * agent within milliseconds of its generation instead of at the next poll. In-process only: with
 * several server processes, waiters also poll at a short interval as a fallback.
 */
export class WorkSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Resolves on the next `notify`, or after `ms`. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}
