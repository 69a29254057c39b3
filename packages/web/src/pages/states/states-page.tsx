import { Group, Select, Text } from '@mantine/core';
import { type ProvisioningState, provisioningStateNames } from '@ordo/core/src/states.ts';
import { useNavigate } from '@tanstack/react-router';
import { useSearchValues } from '../../app/route-values.ts';
import { Page } from '../../ui/page.tsx';
import { StateDiagram } from '../../ui/state-diagram.tsx';

const stateOptions = Object.entries(provisioningStateNames).map(([value, name]) => ({
  value,
  label: `${value} ${name}`,
}));

/** The provisioning lifecycle, with `?highlight=3` to show where a given state can go. */
export function StatesPage() {
  const { highlight } = useSearchValues<'highlight'>();
  const navigate = useNavigate();
  const current = highlight !== undefined && highlight in provisioningStateNames ? Number(highlight) : undefined;
  return (
    <Page title="Provisioning states">
      <Text size="sm">
        Every assignment that reaches a system and every order carry one of these states. The arrows are the transitions
        the engine allows, drawn from the same table it runs.
      </Text>
      <Group>
        <Select
          label="Highlight a state"
          placeholder="None"
          data={stateOptions}
          value={current === undefined ? null : String(current)}
          clearable
          w={260}
          onChange={(value) =>
            void navigate({ to: '/states', search: value ? { highlight: value } : {}, replace: true })
          }
        />
      </Group>
      <StateDiagram {...(current !== undefined ? { highlight: current as ProvisioningState } : {})} />
    </Page>
  );
}
