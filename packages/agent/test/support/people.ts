import type { ObjectState } from '@ordo/core';

/** HR records of `count` people, as an HR export gives them. */
export function people(
  count: number,
  options: { department?: (i: number) => string; offset?: number } = {},
): ObjectState[] {
  return Array.from({ length: count }, (_, n) => {
    const i = n + (options.offset ?? 0);
    const employeeId = `E${String(i).padStart(5, '0')}`;
    return {
      entityType: 'Person',
      key: employeeId,
      values: {
        employeeId,
        firstName: `Ada${i}`,
        lastName: `Lovelace`,
        department: options.department?.(i) ?? 'Engineering',
        contractStart: '2020-01-01',
        contractEnd: null,
      },
      links: {},
    };
  });
}
