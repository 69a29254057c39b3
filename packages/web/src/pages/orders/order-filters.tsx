import { Autocomplete, Button, Group, MultiSelect, TextInput } from '@mantine/core';
import { provisioningStateNames } from '@ordo/core/src/states.ts';
import { type FormEvent, useState } from 'react';

/** The orders screen's filters, as they sit in the address (so a filtered list can be shared). */
export interface OrderSearch {
  readonly state?: string;
  readonly connector?: string;
  readonly resourceType?: string;
  readonly owner?: string;
  /** Local dates, `YYYY-MM-DD`, both inclusive. */
  readonly from?: string;
  readonly to?: string;
}

const stateOptions = Object.entries(provisioningStateNames).map(([value, name]) => ({
  value,
  label: `${value} ${name}`,
}));

/**
 * The filters are edited locally and applied together, so typing an owner does not fire a search
 * per keystroke; "Clear" goes back to every order.
 */
export function OrderFilters(props: {
  search: OrderSearch;
  connectors: readonly string[];
  onApply: (search: OrderSearch) => void;
}) {
  const [draft, setDraft] = useState<OrderSearch>(props.search);
  const set = (name: keyof OrderSearch) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean: Record<string, string> = {};
    for (const [name, value] of Object.entries(draft)) if (value?.trim()) clean[name] = value.trim();
    props.onApply(clean);
  };
  return (
    <form onSubmit={submit} aria-label="Filter orders">
      <Group align="flex-end" gap="sm">
        <MultiSelect
          label="States"
          placeholder={draft.state ? undefined : 'Any'}
          data={stateOptions}
          value={draft.state ? draft.state.split(',') : []}
          onChange={(values) => set('state')(values.join(','))}
          w={260}
          clearable
        />
        <Autocomplete
          label="Connector"
          placeholder="Any"
          data={[...props.connectors]}
          value={draft.connector ?? ''}
          onChange={set('connector')}
          w={150}
        />
        <TextInput
          label="Resource type"
          placeholder="e.g. LdapAccount"
          value={draft.resourceType ?? ''}
          onChange={(e) => set('resourceType')(e.currentTarget.value)}
          w={150}
        />
        <TextInput
          label="Owner"
          placeholder="e.g. Person:E00001"
          value={draft.owner ?? ''}
          onChange={(e) => set('owner')(e.currentTarget.value)}
          w={170}
        />
        <TextInput
          type="date"
          label="Created from"
          value={draft.from ?? ''}
          onChange={(e) => set('from')(e.currentTarget.value)}
          w={150}
        />
        <TextInput
          type="date"
          label="Created to"
          value={draft.to ?? ''}
          onChange={(e) => set('to')(e.currentTarget.value)}
          w={150}
        />
        <Button type="submit">Apply filters</Button>
        <Button
          variant="default"
          onClick={() => {
            setDraft({});
            props.onApply({});
          }}
        >
          Clear filters
        </Button>
      </Group>
    </form>
  );
}

/** A local day boundary as the API's ISO time; a text that is no date goes as is, so the server names it. */
function dayStart(day: string, plusDays = 0): string {
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return day;
  date.setDate(date.getDate() + plusDays);
  return date.toISOString();
}

/** The query of GET /api/orders for these filters (`to` is inclusive here, exclusive there). */
export function orderQuery(search: OrderSearch) {
  return {
    state: search.state,
    connector: search.connector,
    resourceType: search.resourceType,
    owner: search.owner,
    createdFrom: search.from ? dayStart(search.from) : undefined,
    createdTo: search.to ? dayStart(search.to, 1) : undefined,
  };
}
