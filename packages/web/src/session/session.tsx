import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { ApiError, api, setCsrfToken, whenSignedOut } from '../api/client.ts';

/** Who is signed in, as GET /api/session answers. */
export interface Session {
  readonly login: string;
  readonly displayName: string;
  readonly identityId: string | null;
  readonly profiles: readonly string[];
  readonly permissions: readonly string[];
  readonly csrfToken: string;
}

const sessionKey = ['session'] as const;

const SessionContext = createContext<Session | null>(null);

/** The signed-in person; only pages inside the signed-in layout call it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** Loads the session once; answers null when nobody is signed in (401). */
export function useSessionQuery() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<Session | null> => {
      try {
        const session = await api.get<Session>('/api/session');
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  const queries = useQueryClient();
  useEffect(() => {
    // Any 401 means the session expired or was ended elsewhere: forget everything and sign in again.
    whenSignedOut(() => {
      queries.setQueryData(sessionKey, null);
    });
  }, [queries]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export async function signIn(queries: ReturnType<typeof useQueryClient>, login: string, password: string) {
  const session = await api.post<Session>('/api/session', { login, password });
  setCsrfToken(session.csrfToken);
  // Another person's cached answers must not show; the session query itself stays observed.
  forgetAllBut(queries, sessionKey);
  queries.setQueryData(sessionKey, session);
  return session;
}

export async function signOut(queries: ReturnType<typeof useQueryClient>) {
  try {
    await api.delete('/api/session');
  } finally {
    setCsrfToken('');
    queries.setQueryData(sessionKey, null);
    forgetAllBut(queries, sessionKey);
  }
}

/**
 * Drops every cached answer except one query's. `clear()` would also drop the session query that
 * the layout observes, which then never hears of the new session.
 */
function forgetAllBut(queries: ReturnType<typeof useQueryClient>, keep: readonly unknown[]) {
  queries.removeQueries({ predicate: (query) => query.queryKey[0] !== keep[0] });
}
