import type { Assignment, AssignmentKind } from './api.ts';

/**
 * How a row is named: the configuration's display name the API sends ("Atlas administrator").
 * Scalars and navigations are named by their resource type and property; the value has its own
 * column.
 */
export type NameOf = (assignment: Assignment) => string;

export function assignmentNamer(assignments: readonly Assignment[] | undefined): NameOf {
  const typeNames = new Map(
    (assignments ?? []).filter((a) => a.kind === 'resource_type').map((a) => [a.resourceTypeId, a.displayName]),
  );
  return (a) => {
    if (a.kind !== 'scalar' && a.kind !== 'navigation') return a.displayName;
    return `${typeNames.get(a.resourceTypeId) ?? a.resourceTypeId ?? ''} · ${a.property ?? ''}`;
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
