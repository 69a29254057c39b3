export interface BreakerPolicy {
  /** Consecutive transient failures that open the breaker. */
  readonly failures: number;
  /** First pause; doubles on every failed probe, up to `maxCooldownMs`. */
  readonly cooldownMs: number;
  readonly maxCooldownMs: number;
}

export const defaultBreakerPolicy: BreakerPolicy = { failures: 5, cooldownMs: 2_000, maxCooldownMs: 30_000 };

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerStatus {
  readonly state: BreakerState;
  /** Why it is open: the last failure's message. */
  readonly reason: string | null;
  readonly openUntil: number | null;
}

/**
 * A circuit breaker per target system: after a run of transient failures (unreachable, timeouts)
 * it stops sending that target's orders, so that they wait in the server instead of burning
 * their retries, and other targets go on. After a pause one probe is let through: success closes
 * it, failure reopens it for longer.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutive = 0;
  private cooldown: number;
  private openUntil = 0;
  private reason: string | null = null;
  private probing = false;

  constructor(
    private readonly policy: BreakerPolicy,
    private readonly now: () => number,
  ) {
    this.cooldown = policy.cooldownMs;
  }

  /** How many new orders may start now: all when closed, one probe when half open, none when open. */
  admits(): 'all' | 'probe' | 'none' {
    if (this.state === 'closed') return 'all';
    if (this.state === 'open' && this.now() >= this.openUntil) this.state = 'half_open';
    if (this.state === 'half_open' && !this.probing) return 'probe';
    return 'none';
  }

  /** Call when a probe starts, so only one goes through. */
  startProbe(): void {
    if (this.state === 'half_open') this.probing = true;
  }

  recordSuccess(): void {
    this.state = 'closed';
    this.consecutive = 0;
    this.cooldown = this.policy.cooldownMs;
    this.reason = null;
    this.probing = false;
  }

  /** A transient failure; permanent ones say nothing about the target's health. */
  recordFailure(reason: string): void {
    this.consecutive += 1;
    this.reason = reason;
    if (this.state === 'half_open') {
      this.cooldown = Math.min(this.policy.maxCooldownMs, this.cooldown * 2);
      this.open();
    } else if (this.state === 'closed' && this.consecutive >= this.policy.failures) {
      this.open();
    }
  }

  status(): BreakerStatus {
    this.admits();
    return { state: this.state, reason: this.reason, openUntil: this.state === 'closed' ? null : this.openUntil };
  }

  private open(): void {
    this.state = 'open';
    this.probing = false;
    this.openUntil = this.now() + this.cooldown;
  }
}
