/**
 * The server's permission rule (packages/core/src/security/permissions.ts `grants`), repeated here
 * so the page hides what the caller may not do: a held path grants itself and every path below.
 */
export function grants(held: readonly string[], required: string): boolean {
  return held.some((path) => path === required || (required.startsWith(path) && required[path.length] === '/'));
}

/** The permission POST /api/directory/:entityType/:id/requests needs (request-routes.ts). */
export function requestPermission(entityType: string): string {
  return `/Custom/ProvisioningPolicy/RequestPermissions/${entityType}`;
}
