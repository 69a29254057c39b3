/** The size of a queue as the home page shows it. */
export interface QueueSize {
  readonly count: number;
  readonly more: boolean;
}

/**
 * Keeps queue sizes that are costly to take for a short while. Reconciliation classifies every
 * target of an entity type with CEL (over a second at 20,000 identities), and every open home page
 * asks again every 15 s: people share one count per minute instead. Concurrent askers of the same
 * key wait for the same computation rather than each starting one.
 */
export class CountCache {
  private readonly entries = new Map<string, { readonly at: number; readonly size: Promise<QueueSize> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string, count: () => Promise<QueueSize>): Promise<QueueSize> {
    const now = this.now();
    const kept = this.entries.get(key);
    if (kept && now - kept.at < this.ttlMs) return kept.size;
    const size = count();
    this.entries.set(key, { at: now, size });
    // A failed count is not kept: the next home page asks again.
    size.catch(() => {
      if (this.entries.get(key)?.size === size) this.entries.delete(key);
    });
    return size;
  }
}
