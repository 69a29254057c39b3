import type { Assignment, AssignmentKind, Requestable } from './api.ts';

/**
 * The permissions route names roles and resource types by id ("EngineeringGroup"); the requestable
 * route carries their display names ("Engineering group"). Items that cannot be requested (e.g. a
 * composite role given only by rules) keep their id until the permissions route sends names.
 */
export type NameOf = (assignment: Assignment) => string;

export function assignmentNamer(requestable: readonly Requestable[] | undefined): NameOf {
  const byKind = new Map((requestable ?? []).map((r) => [`${r.kind}:${r.id}`, r.displayName]));
  const resourceType = (id: string | null) => (id ? (byKind.get(`resource_type:${id}`) ?? id) : '');
  return (a) => {
    if (a.kind === 'composite_role' || a.kind === 'single_role') return byKind.get(`${a.kind}:${a.roleId}`) ?? a.label;
    if (a.kind === 'resource_type') return resourceType(a.resourceTypeId) || a.label;
    return `${resourceType(a.resourceTypeId)} · ${a.property ?? ''}`;
  };
}

export const kindTitles: Readonly<Record<AssignmentKind, string>> = {
  composite_role: 'Composite roles',
  single_role: 'Single roles',
  resource_type: 'Resource types',
  scalar: 'Scalars',
  navigation: 'Navigations',
};

export const kindOrder: readonly AssignmentKind[] = [
  'composite_role',
  'single_role',
  'resource_type',
  'scalar',
  'navigation',
];
