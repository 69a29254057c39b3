import { useSession } from '../../session/session.tsx';

/**
 * The server's rule (core `grants`): a held path grants itself and every path below it. Kept here
 * so a button the caller may not use is hidden rather than answered with 403; the server still
 * decides, this only avoids offering what it would refuse.
 */
export function holds(held: readonly string[], required: string): boolean {
  return held.some((path) => path === required || (required.startsWith(path) && required[path.length] === '/'));
}

export function useHolds(required: string): boolean {
  return holds(useSession().permissions, required);
}
