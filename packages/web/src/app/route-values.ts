import { useParams, useSearch } from '@tanstack/react-router';

/*
 * Pages read their path parameters and search values loosely, as text. TanStack's typed lookups
 * (`getRouteApi('/orders/$orderId')`) do not fit this router: every page sits under the signed-in
 * layout, so a route's id at run time is '/app/orders/$orderId' while the types say
 * '/orders/$orderId', and the strict lookup throws "Invariant failed". The router validates
 * search values as strings (router.tsx); each page still checks the values it accepts.
 */

/** The current page's path parameters, '' for one that is absent. */
export function usePathParams<K extends string>(...names: readonly K[]): Record<K, string> {
  const params = useParams({ strict: false }) as Partial<Record<string, string>>;
  return Object.fromEntries(names.map((name) => [name, params[name] ?? ''])) as Record<K, string>;
}

/** The current page's search values (strings only, see router.tsx). */
export function useSearchValues<K extends string>(): Partial<Record<K, string>> {
  const search: unknown = useSearch({ strict: false });
  return search as Partial<Record<K, string>>;
}
