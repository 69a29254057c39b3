import { useState } from 'react';

/** Rows ticked for a bulk action, by id. */
export interface Selection {
  readonly selected: ReadonlySet<string>;
  /** Ticks (`on`) or unticks the given rows. */
  select(ids: readonly string[], on: boolean): void;
  /** Exactly these rows, nothing else (select all / none). */
  replace(ids: readonly string[]): void;
}

/** The ticked rows of a bulk screen (Manual Provisioning, errored orders, Reconciliation). */
export function useSelection(): Selection {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  return {
    selected,
    select: (ids, on) =>
      setSelected((old) => {
        const next = new Set(old);
        for (const id of ids) {
          if (on) next.add(id);
          else next.delete(id);
        }
        return next;
      }),
    replace: (ids) => setSelected(new Set(ids)),
  };
}
