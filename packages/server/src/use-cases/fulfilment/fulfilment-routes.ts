import type { Model, ResourceType } from '@ordo/core';

/** The agent that serves a connector when the configuration names none: the one in the server. */
export const localAgent = 'local';

/** Whether a resource type's orders go to a person (manual ticket) rather than an agent. */
export function isManualFulfilment(model: Model, resourceType: ResourceType): boolean {
  const connection = model.connectors[resourceType.connector]?.connections[resourceType.fulfil.connection];
  return connection?.kind === 'manual';
}

/**
 * Resource types whose orders an agent may lease: automated fulfilment, on a connection that may
 * fulfil, of a connector served by this agent (and among `connectors`, when the agent narrows
 * the list, e.g. while a target's circuit breaker is open).
 */
export function leasableResourceTypes(model: Model, agent: string, connectors?: readonly string[]): string[] {
  const wanted = connectors ? new Set(connectors) : null;
  return Object.values(model.resourceTypes)
    .filter((rt) => {
      const connector = model.connectors[rt.connector];
      if (!connector || (connector.agent || localAgent) !== agent) return false;
      if (wanted && !wanted.has(connector.id)) return false;
      const connection = connector.connections[rt.fulfil.connection];
      return connection !== undefined && connection.kind !== 'manual' && connection.disabled !== 'fulfil';
    })
    .map((rt) => rt.id)
    .sort();
}

export function manualResourceTypes(model: Model): string[] {
  return Object.values(model.resourceTypes)
    .filter((rt) => isManualFulfilment(model, rt))
    .map((rt) => rt.id)
    .sort();
}
