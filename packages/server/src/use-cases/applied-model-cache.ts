import type { Model } from '@ordo/core';
import type { Stores } from '../storage/stores.ts';
import { loadAppliedModel } from './configuration.ts';

/**
 * The applied model for a long-running process: compiled once per version, and reloaded when
 * another process applies a new one (checked with one cheap query per call).
 */
export class AppliedModelCache {
  private cached: { version: number; model: Model } | null = null;

  constructor(private readonly stores: Pick<Stores, 'configVersions'>) {}

  async current(): Promise<{ version: number; model: Model }> {
    const latest = await this.stores.configVersions.latestNumber();
    if (this.cached && this.cached.version === latest) return this.cached;
    this.cached = await loadAppliedModel(this.stores);
    return this.cached;
  }
}
