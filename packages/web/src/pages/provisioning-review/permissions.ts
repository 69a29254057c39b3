import { grants } from '@ordo/core/src/security/permissions.ts';
import { useSession } from '../../session/session.tsx';

/**
 * True when the signed-in person holds `required` or a parent of it: the server's own rule
 * (core `grants`), so a hidden bulk button and a 403 can never disagree. Shared by the review
 * screens to hide the actions whose routes need a permission the caller lacks.
 */
export function useHolds(required: string): boolean {
  return grants(useSession().permissions, required);
}
