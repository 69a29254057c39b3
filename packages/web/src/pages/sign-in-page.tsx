import { Alert, Button, Center, Divider, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { signIn } from '../session/session.tsx';
import { ProblemAlert } from '../ui/page.tsx';

/** Why an OIDC sign-in came back refused (the server redirects with `?signInError=CODE`). */
const oidcRefusals: Readonly<Record<string, string>> = {
  OIDC_ACCOUNT_UNKNOWN: 'Your organisation account is not linked to an Ordo account. Ask an administrator.',
  OIDC_FLOW_INVALID: 'The sign-in took too long or was interrupted. Try again.',
};

/** Sign-in with a local account, or the organisation's OIDC provider when one is configured. */
export function SignInPage() {
  const queries = useQueryClient();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const methods = useQuery({
    queryKey: ['sign-in-methods'],
    queryFn: () => api.get<{ password: boolean; oidc: boolean }>('/api/session/methods'),
  });
  const oidcError = new URLSearchParams(window.location.search).get('signInError');
  useEffect(() => {
    document.title = 'Sign in · Ordo';
  }, []);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(queries, login, password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit} aria-labelledby="sign-in-title">
          <Stack>
            <Title order={1} size="h2" id="sign-in-title">
              Sign in to Ordo
            </Title>
            <Text size="sm" c="dimmed">
              Identity provisioning: reviews, manual tickets, orders and their history.
            </Text>
            <TextInput
              label="Login"
              name="login"
              autoComplete="username"
              required
              autoFocus
              value={login}
              onChange={(e) => setLogin(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {oidcError && (
              <Alert color="red" title="Sign-in refused" role="alert">
                {oidcRefusals[oidcError] ?? `The provider's sign-in was refused (${oidcError}).`}
              </Alert>
            )}
            <ProblemAlert error={error} title="Sign-in refused" />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
            {methods.data?.oidc && (
              <>
                <Divider label="or" labelPosition="center" />
                <Button component="a" href="/api/session/oidc/start" variant="default">
                  Sign in with your organisation
                </Button>
              </>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
