/**
 * A one-line progress display on stderr for long work (import, complete computation). Silent when
 * stderr is not a terminal, so logs and CI output stay clean.
 */
export function progressBar(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(done, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const width = 30;
      const filled = Math.round(ratio * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    stop() {
      if (tty) process.stderr.write('\n');
    },
  };
}
