import type { RouteEntry } from '../../src/http/access-control.ts';

/**
 * Path parameter values that reach each route's authorization: entity types that exist (a
 * resource reconciliation takes the target entity type), and an identity within the Manager's and
 * the User's scope (E00025), so that only the permission decides.
 */
export function samplePath(route: RouteEntry): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'entityType') return route.url.includes('/reconciliation/resources/') ? 'LdapAccount' : 'Person';
    if (name === 'id' && route.url.startsWith('/api/directory/')) return encodeURIComponent('Person:E00025');
    if (name === 'agent') return 'local';
    return 'unknown-id';
  });
}

export const routeKey = (route: Pick<RouteEntry, 'method' | 'url'>) => `${route.method} ${route.url}`;
