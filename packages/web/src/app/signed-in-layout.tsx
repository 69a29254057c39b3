import {
  AppShell,
  Badge,
  Burger,
  Button,
  Center,
  Group,
  Loader,
  NavLink,
  ScrollArea,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { type Duty, screenPath, screenTitles, useDuties } from '../api/home.ts';
import { SignInPage } from '../pages/sign-in-page.tsx';
import { SessionProvider, signOut, useSession, useSessionQuery } from '../session/session.tsx';
import { ProblemAlert } from '../ui/page.tsx';

/** Every signed-in page: the header, the navigation built from the caller's duties, the page. */
export function SignedInLayout() {
  const session = useSessionQuery();
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (session.error) return <ProblemAlert error={session.error} title="Ordo is not reachable" />;
  if (!session.data) return <SignInPage />;
  return (
    <SessionProvider session={session.data}>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const session = useSession();
  const queries = useQueryClient();
  const [opened, { toggle, close }] = useDisclosure();
  const duties = useDuties();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text component={Link} to="/" fw={700} size="lg" c="inherit" td="none">
              Ordo
            </Text>
          </Group>
          <Group gap="sm">
            <Text size="sm" data-testid="signed-in-as">
              <VisuallyHidden>Signed in as </VisuallyHidden>
              {session.displayName} ({session.profiles.join(', ') || 'no profile'})
            </Text>
            <Button variant="default" size="xs" onClick={() => void signOut(queries)}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Screens">
        <AppShell.Section grow component={ScrollArea}>
          <NavLink component={Link} to="/" label="Home" active={pathname === '/'} onClick={close} />
          {(duties.data ?? []).map((duty) => (
            <DutyLink key={`${duty.screen}:${duty.entityType ?? ''}`} duty={duty} pathname={pathname} onClick={close} />
          ))}
          <NavLink
            component={Link}
            to="/states"
            label="Provisioning states"
            active={pathname === '/states'}
            onClick={close}
          />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function DutyLink({ duty, pathname, onClick }: { duty: Duty; pathname: string; onClick: () => void }) {
  const path = screenPath(duty);
  const label = duty.entityTypeName
    ? `${screenTitles[duty.screen]} · ${duty.entityTypeName}`
    : screenTitles[duty.screen];
  return (
    <NavLink
      component={Link}
      to={path}
      label={label}
      active={pathname === path || pathname.startsWith(`${path}/`)}
      onClick={onClick}
      rightSection={
        duty.count ? (
          <Badge size="sm" variant="filled" aria-label={`${duty.count}${duty.more ? ' or more' : ''} waiting`}>
            {duty.count}
            {duty.more ? '+' : ''}
          </Badge>
        ) : null
      }
    />
  );
}
