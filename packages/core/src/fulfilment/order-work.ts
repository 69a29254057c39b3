import type { ScalarValue } from '../expression.ts';
import type { ComparisonType, Model, ScalarRule } from '../model.ts';
import type { LinkRef, ProvisioningOrder } from '../orders.ts';
import type { FulfilOperation } from './object-operations.ts';
import type { Expectation } from './work-item.ts';

/** An order translated for a connector: what to ensure, and what the read-back must show. */
export interface OrderWork {
  readonly connection: string;
  readonly operation: FulfilOperation;
  readonly expectation: Expectation;
  readonly readProperties: readonly string[];
  /** Scalars no rule maps back (create only): never read back, they end at 8 Executed. */
  readonly createOnly: ReadonlySet<string>;
}

/**
 * Translates an order into the connector's terms. Values keep Ordo's property names; links travel
 * by the linked objects' keys, which the order already carries. A create's key is the computed
 * key property when a scalar rule gives one, else empty for the connector to derive.
 */
export function orderWork(model: Model, order: ProvisioningOrder): OrderWork {
  const resourceType = model.resourceTypes[order.resourceTypeId];
  if (!resourceType) throw new Error(`order ${order.id}: resource type ${order.resourceTypeId} is not in the model`);
  const entityType = model.entityTypes[resourceType.targetEntityType];
  if (!entityType)
    throw new Error(`order ${order.id}: entity type ${resourceType.targetEntityType} is not in the model`);
  const rules = scalarRulesOf(model, order.resourceTypeId);
  const keys = (links: Readonly<Record<string, readonly LinkRef[]>>) =>
    Object.fromEntries(Object.entries(links).map(([property, refs]) => [property, refs.map((r) => r.key)]));
  const readProperties = Object.values(entityType.properties)
    .filter((p) => p.kind === 'scalar')
    .map((p) => p.name);

  let operation: FulfilOperation;
  if (order.changeType === 'added') {
    const computedKey = order.scalars[entityType.key];
    operation = {
      kind: 'create',
      entityType: entityType.id,
      key: typeof computedKey === 'string' ? computedKey : (order.targetKey ?? ''),
      values: order.scalars,
      links: keys(order.addedLinks),
    };
  } else if (order.changeType === 'modified') {
    operation = {
      kind: 'update',
      entityType: entityType.id,
      key: requireKey(order),
      values: order.scalars,
      addLinks: keys(order.addedLinks),
      removeLinks: keys(order.removedLinks),
    };
  } else {
    operation = { kind: 'delete', entityType: entityType.id, key: requireKey(order) };
  }

  const values: Record<string, { value: ScalarValue; comparison: ComparisonType }> = {};
  const createOnly = new Set<string>();
  for (const [property, value] of Object.entries(order.scalars)) {
    const rule = rules.get(property);
    // A value no rule maps back (create only) cannot be verified; it ends at 8 Executed.
    if (rule && !rule.mapped) createOnly.add(property);
    else if (operation.kind !== 'delete')
      values[property] = { value, comparison: rule?.comparison ?? 'case_sensitive' };
  }
  return {
    connection: resourceType.fulfil.connection,
    operation,
    expectation: {
      exists: operation.kind !== 'delete',
      values,
      linksPresent: operation.kind === 'delete' ? {} : keys(order.addedLinks),
      linksAbsent: operation.kind === 'delete' ? {} : keys(order.removedLinks),
    },
    readProperties,
    createOnly,
  };
}

function scalarRulesOf(model: Model, resourceTypeId: string): Map<string, ScalarRule> {
  const rules = new Map<string, ScalarRule>();
  for (const rule of model.rules.scalars) {
    if (rule.resourceType === resourceTypeId && !rules.has(rule.property)) rules.set(rule.property, rule);
  }
  return rules;
}

function requireKey(order: ProvisioningOrder): string {
  if (order.targetKey === null) throw new Error(`order ${order.id} (${order.changeType}) names no target key`);
  return order.targetKey;
}
