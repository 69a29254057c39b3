import type { Model } from '../../model.ts';
import type { Resource } from '../../resources.ts';
import { resourceVariables } from './resource-variables.ts';

/**
 * Synchronous lookups over the synchronized target resources (accounts, groups...), preloaded by
 * the server so that the evaluation of one identity stays pure and fast.
 */
export interface TargetDirectory {
  /** A target resource by Ordo id. */
  get(id: string): Resource | undefined;
  /** A target resource by its entity type's key (e.g. a group by DN). */
  byKey(entityType: string, key: string): Resource | undefined;
  /** Targets whose precomputed key for this correlation rule equals `key`. */
  correlationCandidates(ruleId: string, key: string): readonly Resource[];
  /** Candidates of this query rule (the pointed entity type) whose target key equals `key`. */
  queryCandidates(ruleId: string, key: string): readonly Resource[];
  /** The identity that already owns this target, or null when nobody does. */
  ownerOf(targetId: string): string | null;
  /**
   * For `unique()`: whether a resource of `entityType` not owned by `ownerId`, or a value computed
   * for another owner, already holds `value` in `property` (compared ignoring case, as logins are).
   */
  isTaken(entityType: string, property: string, value: string, ownerId: string): boolean;
}

/** A value computed for an owner and not yet in the target system (e.g. a login being created). */
export interface ComputedValue {
  readonly entityType: string;
  readonly property: string;
  readonly value: string;
  readonly ownerId: string;
}

/** The in-memory directory also accepts values computed during the run, so two people never get the same login. */
export interface InMemoryTargetDirectory extends TargetDirectory {
  addComputedValue(value: ComputedValue): void;
  /** Records that `ownerId` now owns a target (correlated or created during this run). */
  setOwner(resourceId: string, ownerId: string): void;
}

/**
 * Keys an expression gives for one resource: strings, numbers and booleans become one key, a list
 * gives one key per element, null and empty strings give none.
 */
export function keysOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return [String(value)];
  return [];
}

type KeyIndex = Map<string, Resource[]>;

function addToIndex(index: KeyIndex, key: string, resource: Resource): void {
  const list = index.get(key);
  if (list) list.push(resource);
  else index.set(key, [resource]);
}

/**
 * Builds the in-memory directory. Correlation keys are precomputed for every target of each
 * correlation rule's resource type (reference spec §4.1 step 6), and query keys for every candidate
 * of each query rule, in one pass per rule. A target expression that throws for a resource gives
 * that resource no key: one malformed account must not stop the correlation of everyone else.
 * `isTaken` indexes a property the first time it is asked about it.
 */
export function createTargetDirectory(
  model: Model,
  targets: readonly Resource[],
  ownership: readonly { readonly resourceId: string; readonly ownerId: string }[],
  computedValues: readonly ComputedValue[] = [],
): InMemoryTargetDirectory {
  const byId = new Map<string, Resource>();
  const byEntityType = new Map<string, Resource[]>();
  // Nested maps: looking up by entity type then key hashes two short strings the model and the
  // resources already hold, instead of building a combined key on every call.
  const byTypeAndKey = new Map<string, Map<string, Resource>>();
  for (const target of targets) {
    byId.set(target.id, target);
    const keys = byTypeAndKey.get(target.entityType);
    if (keys) keys.set(target.key, target);
    else byTypeAndKey.set(target.entityType, new Map([[target.key, target]]));
    const list = byEntityType.get(target.entityType);
    if (list) list.push(target);
    else byEntityType.set(target.entityType, [target]);
  }
  const owners = new Map<string, string>();
  for (const { resourceId, ownerId } of ownership) owners.set(resourceId, ownerId);
  const keyOf = (id: string) => byId.get(id)?.key;

  const variablesCache = new Map<string, Record<string, unknown>>();
  const variablesOf = (resource: Resource) => {
    let variables = variablesCache.get(resource.id);
    if (!variables) {
      variables = resourceVariables(model, resource, keyOf);
      variablesCache.set(resource.id, variables);
    }
    return variables;
  };

  const indexTargets = (
    candidates: readonly Resource[],
    evaluate: (resource: Record<string, unknown>) => unknown,
  ): KeyIndex => {
    const index: KeyIndex = new Map();
    for (const candidate of candidates) {
      let value: unknown;
      try {
        value = evaluate(variablesOf(candidate));
      } catch {
        continue;
      }
      for (const key of new Set(keysOf(value))) addToIndex(index, key, candidate);
    }
    return index;
  };

  const correlationIndex = new Map<string, KeyIndex>();
  for (const rule of model.rules.correlations) {
    const resourceType = model.resourceTypes[rule.resourceType];
    const candidates = resourceType ? (byEntityType.get(resourceType.targetEntityType) ?? []) : [];
    correlationIndex.set(
      rule.id,
      indexTargets(candidates, (resource) => rule.target.evaluate({ resource })),
    );
  }
  const queryIndex = new Map<string, KeyIndex>();
  for (const rule of model.rules.queries) {
    const resourceType = model.resourceTypes[rule.resourceType];
    const property = resourceType
      ? model.entityTypes[resourceType.targetEntityType]?.properties[rule.property]
      : undefined;
    const candidates = property?.kind === 'navigation' ? (byEntityType.get(property.target) ?? []) : [];
    queryIndex.set(
      rule.id,
      indexTargets(candidates, (resource) => rule.target.evaluate({ resource })),
    );
  }

  // entityType → property → lower-cased value → owners holding it ('' = a resource nobody owns).
  const takenIndex = new Map<string, Map<string, Map<string, Set<string>>>>();
  const takenOf = (entityType: string, property: string) => takenIndex.get(entityType)?.get(property);
  const extra: ComputedValue[] = [...computedValues];
  const holdersFor = (entityType: string, property: string) => {
    let holders = takenOf(entityType, property);
    if (!holders) {
      holders = new Map();
      for (const resource of byEntityType.get(entityType) ?? []) {
        const value = resource.values[property];
        if (value === null || value === undefined) continue;
        addHolder(holders, String(value), owners.get(resource.id) ?? '');
      }
      for (const computed of extra) {
        if (computed.entityType === entityType && computed.property === property) {
          addHolder(holders, computed.value, computed.ownerId);
        }
      }
      const byProperty = takenIndex.get(entityType);
      if (byProperty) byProperty.set(property, holders);
      else takenIndex.set(entityType, new Map([[property, holders]]));
    }
    return holders;
  };

  return {
    get: (id) => byId.get(id),
    byKey: (entityType, key) => byTypeAndKey.get(entityType)?.get(key),
    correlationCandidates: (ruleId, key) => correlationIndex.get(ruleId)?.get(key) ?? [],
    queryCandidates: (ruleId, key) => queryIndex.get(ruleId)?.get(key) ?? [],
    ownerOf: (targetId) => owners.get(targetId) ?? null,
    isTaken(entityType, property, value, ownerId) {
      const holders = holdersFor(entityType, property).get(value.toLowerCase());
      if (!holders) return false;
      for (const holder of holders) if (holder !== ownerId) return true;
      return false;
    },
    setOwner(resourceId, ownerId) {
      owners.set(resourceId, ownerId);
    },
    addComputedValue(computed) {
      extra.push(computed);
      const holders = takenOf(computed.entityType, computed.property);
      if (holders) addHolder(holders, computed.value, computed.ownerId);
    },
  };
}

function addHolder(holders: Map<string, Set<string>>, value: string, ownerId: string): void {
  const key = value.toLowerCase();
  const set = holders.get(key);
  if (set) set.add(ownerId);
  else holders.set(key, new Set([ownerId]));
}
