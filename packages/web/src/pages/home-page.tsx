import { Badge, Card, Group, SimpleGrid, Stack, Text, VisuallyHidden } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { type Duty, screenPath, screenTitles, useDuties } from '../api/home.ts';
import { useSession } from '../session/session.tsx';
import { Page, QueryState } from '../ui/page.tsx';

const explanations: Readonly<Record<Duty['screen'], string>> = {
  directory: 'Find an identity, see every permission it has and how it got it, request changes.',
  'role-review': 'Requests waiting for your approval.',
  'provisioning-review': 'Orders that wait for a person before they reach the system, and errored orders.',
  'manual-provisioning': 'Tickets to carry out by hand, then confirm or report an error.',
  'resource-reconciliation': 'Accounts found in systems that the role model does not explain.',
  'role-reconciliation': 'Roles found or kept that the rules no longer give.',
  orders: 'Every provisioning order and its history.',
  errors: 'Errored orders grouped by connector and cause: retry or dismiss them in bulk.',
  jobs: 'Run complete or incremental jobs, follow their progress, resume after a threshold.',
  connectors: 'Health, breakers, queue depth and oldest pending order of each connector.',
};

/** Home: one card per duty of the signed-in person, with what is waiting. */
export function HomePage() {
  const session = useSession();
  const duties = useDuties();
  return (
    <Page title={`Welcome, ${session.displayName}`}>
      <QueryState query={duties}>
        {() => (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="ul" style={{ listStyle: 'none', padding: 0 }}>
            {(duties.data ?? []).map((duty) => (
              <li key={`${duty.screen}:${duty.entityType ?? ''}`}>
                <DutyCard duty={duty} />
              </li>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
    </Page>
  );
}

function DutyCard({ duty }: { duty: Duty }) {
  const title = duty.entityTypeName
    ? `${screenTitles[duty.screen]} · ${duty.entityTypeName}`
    : screenTitles[duty.screen];
  const waiting = duty.count === null ? null : `${duty.count}${duty.more ? '+' : ''}`;
  return (
    <Card withBorder padding="lg" h="100%" component={Link} to={screenPath(duty)} data-duty={duty.screen}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{title}</Text>
          {waiting !== null && (
            <Badge
              size="lg"
              color={duty.count ? 'blue' : 'gray'}
              variant={duty.count ? 'filled' : 'light'}
              data-testid="duty-count"
            >
              {waiting}
              <VisuallyHidden> waiting</VisuallyHidden>
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {explanations[duty.screen]}
        </Text>
      </Stack>
    </Card>
  );
}
