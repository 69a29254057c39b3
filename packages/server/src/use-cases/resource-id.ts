/**
 * Ordo ids of synchronized resources are derived from their entity type and key, so that an
 * import, a synchronization and a read-back of the same object land on the same row.
 */
export function resourceIdFor(entityType: string, key: string): string {
  return `${entityType}:${key}`;
}
