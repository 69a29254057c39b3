/** Stable codes of storage errors, part of the API (mapped to HTTP in one place, house rule 7). */
export type StorageErrorCode =
  | 'STORAGE_URL_UNSUPPORTED'
  | 'STORAGE_MIGRATION_FAILED'
  | 'STORAGE_CORRUPT_ROW'
  | 'STORAGE_CONFIG_VERSION_CONFLICT'
  | 'STORAGE_BULK_OUTSIDE_TRANSACTION';

/** A storage failure with a stable code and a message saying what, where and why. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
