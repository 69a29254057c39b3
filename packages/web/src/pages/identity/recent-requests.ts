import { useCallback, useState } from 'react';

/**
 * The API lists only pending requests per identity (through the assignments); the requests made on
 * this page are remembered for the browser session so their outcome (approved, declined) stays in
 * view on the Requests tab after a reload.
 */
const storageKey = (identityId: string) => `ordo.requests.${identityId}`;

function read(identityId: string): string[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(storageKey(identityId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function useRecentRequests(identityId: string): [readonly string[], (ids: readonly string[]) => void] {
  const [ids, setIds] = useState(() => read(identityId));
  const remember = useCallback(
    (added: readonly string[]) => {
      const next = [...new Set([...added, ...read(identityId)])].slice(0, 100);
      sessionStorage.setItem(storageKey(identityId), JSON.stringify(next));
      setIds(next);
    },
    [identityId],
  );
  return [ids, remember];
}
