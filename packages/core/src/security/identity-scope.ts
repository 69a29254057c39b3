import type { ProfileScope } from '../model.ts';

/**
 * Which identities a person may see and act for, from the scopes of their profiles: the widest
 * wins. `self` is their own identity; `managed` adds the identities whose manager property points
 * at them (Usercube's responsibility scope of a manager).
 */
export type IdentityScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'some'; readonly self: string | null; readonly managerProperties: readonly string[] }
  | { readonly kind: 'none' };

export function identityScopeOf(scopes: readonly ProfileScope[], ownIdentity: string | null): IdentityScope {
  if (scopes.some((s) => s.kind === 'all')) return { kind: 'all' };
  if (ownIdentity === null || scopes.length === 0) return { kind: 'none' };
  const managerProperties = [
    ...new Set(scopes.flatMap((s) => (s.kind === 'managed' ? [s.managerProperty] : []))),
  ].sort();
  return { kind: 'some', self: ownIdentity, managerProperties };
}

/** Whether `identity` (its id and its scalar/navigation values) lies within the scope. */
export function inIdentityScope(
  scope: IdentityScope,
  identity: { readonly id: string; readonly links: Readonly<Record<string, readonly string[]>> },
): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'none') return false;
  if (identity.id === scope.self) return true;
  return scope.managerProperties.some((p) => (identity.links[p] ?? []).includes(scope.self ?? ''));
}
