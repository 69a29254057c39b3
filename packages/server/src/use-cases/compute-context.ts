import {
  type Assignment,
  type ComputedValue,
  createTargetDirectory,
  type InMemoryTargetDirectory,
  type Model,
  ownsTarget,
  type Resource,
} from '@ordo/core';
import type { Stores } from '../storage/stores.ts';

/**
 * What a computation needs besides the identities: the model, and the target resources (accounts,
 * groups) indexed in memory with their correlation keys. A long-lived process keeps one context and
 * computes many times (incremental runs after each event); `invalidate` after a synchronization of
 * targets makes the next computation reload them.
 */
export class ComputeContext {
  /** Scalars computed with `unique()`: only they need reserving across identities. */
  private readonly uniqueProperties: ReadonlySet<string>;

  private constructor(
    readonly model: Model,
    private readonly stores: Pick<Stores, 'resources' | 'assignments'>,
    private loaded: { directory: InMemoryTargetDirectory; firstSynchronization: boolean } | null,
  ) {
    this.uniqueProperties = new Set(
      model.rules.scalars
        .filter((rule) => rule.expression.source.includes('unique('))
        .map((rule) => `${rule.resourceType}\u0000${rule.property}`),
    );
  }

  static create(model: Model, stores: Pick<Stores, 'resources' | 'assignments'>): ComputeContext {
    return new ComputeContext(model, stores, null);
  }

  get directory(): InMemoryTargetDirectory {
    if (!this.loaded) throw new Error('ComputeContext: call refresh() before computing');
    return this.loaded.directory;
  }

  /** Non-conforming items found before Ordo ever computed are pre-existing (workflow 3). */
  get firstSynchronization(): boolean {
    return this.loaded?.firstSynchronization ?? false;
  }

  invalidate(): void {
    this.loaded = null;
  }

  async refresh(): Promise<void> {
    if (this.loaded) return;
    const targets: Resource[] = [];
    for (const entityType of targetEntityTypes(this.model)) {
      let afterId: string | undefined;
      for (;;) {
        const page = await this.stores.resources.listByEntityType(entityType, { afterId, limit: 5000 });
        if (page.length === 0) break;
        targets.push(...page);
        afterId = page[page.length - 1]?.id;
      }
    }
    const ownership = await this.stores.assignments.listOwnership();
    const reserved: ComputedValue[] = [];
    for (const key of this.uniqueProperties) {
      const [resourceTypeId, property] = key.split('\u0000') as [string, string];
      const entityType = this.model.resourceTypes[resourceTypeId]?.targetEntityType;
      if (!entityType) continue;
      for (const { ownerId, value } of await this.stores.assignments.listComputedValues(resourceTypeId, property)) {
        if (typeof value === 'string') reserved.push({ entityType, property, value, ownerId });
      }
    }
    this.loaded = {
      directory: createTargetDirectory(this.model, targets, ownership, reserved),
      firstSynchronization: ownership.length === 0 && (await this.stores.assignments.isEmpty()),
    };
  }

  /**
   * Keeps the directory true while a run goes on: targets newly correlated belong to their owner,
   * and logins computed for one person are taken for the next.
   */
  recordOwnership(ownerId: string, assignments: readonly Assignment[]): void {
    const directory = this.directory;
    for (const a of assignments) {
      if (a.kind === 'resource_type' && a.targetResourceId && ownsTarget(a))
        directory.setOwner(a.targetResourceId, ownerId);
      if (
        a.kind === 'scalar' &&
        typeof a.computedValue === 'string' &&
        this.uniqueProperties.has(`${a.resourceTypeId}\u0000${a.property}`)
      ) {
        const resourceType = this.model.resourceTypes[a.resourceTypeId];
        if (resourceType) {
          directory.addComputedValue({
            entityType: resourceType.targetEntityType,
            property: a.property,
            value: a.computedValue,
            ownerId,
          });
        }
      }
    }
  }
}

/** Entity types whose resources a computation looks up: targets, link values, query candidates. */
export function targetEntityTypes(model: Model): string[] {
  const types = new Set<string>();
  for (const rt of Object.values(model.resourceTypes)) {
    types.add(rt.targetEntityType);
    for (const property of Object.values(model.entityTypes[rt.targetEntityType]?.properties ?? {})) {
      if (property.kind === 'navigation') types.add(property.target);
    }
  }
  return [...types].sort();
}
