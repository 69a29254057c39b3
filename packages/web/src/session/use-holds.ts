import { grants } from '@ordo/core/src/security/permissions.ts';
import { useSession } from './session.tsx';

/**
 * True when the signed-in person holds `required` or a parent of it. It is the server's own rule
 * (core `grants`), so a button hidden here is one the server would refuse; the server still decides.
 */
export function useHolds(required: string): boolean {
  return grants(useSession().permissions, required);
}
