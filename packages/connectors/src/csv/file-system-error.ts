import { type Applied, ConnectorError, type ConnectorErrorKind } from '../connector-error.ts';

const kinds: Readonly<Record<string, ConnectorErrorKind>> = {
  // A missing file is usually one being replaced, or not dropped yet: worth trying again.
  ENOENT: 'unreachable',
  EACCES: 'permission',
  EPERM: 'permission',
  EROFS: 'permission',
  EISDIR: 'configuration',
  ENOTDIR: 'configuration',
  EEXIST: 'configuration',
  EMFILE: 'unreachable',
  ENFILE: 'unreachable',
  EBUSY: 'unreachable',
  EAGAIN: 'unreachable',
  ESTALE: 'unreachable',
};

/**
 * Classifies a file-system failure. `action` says what was attempted on which path
 * (`cannot read /x/hr.csv`); `applied` is whether a write may have happened.
 */
export function fileSystemError(
  connectionId: string,
  action: string,
  error: unknown,
  applied: Applied,
): ConnectorError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const kind = (code !== undefined && kinds[code]) || 'unknown';
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectorError(`connection ${connectionId}: ${action}: ${reason}`, { kind, applied }, { cause: error });
}
