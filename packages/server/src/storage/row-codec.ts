import { type ProvisioningState, provisioningStateNames, type WorkflowState, workflowStateNames } from '@ordo/core';
import { StorageError } from './storage-error.ts';

/** Serializes a value for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Parses a JSON text column; a failure names the table, row and column so it can be repaired. */
export function fromJson<T>(text: string, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StorageError('STORAGE_CORRUPT_ROW', `Cannot read ${where}: the stored JSON is invalid.`, {
      cause: error,
    });
  }
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: number | boolean | string): boolean {
  return value === 1 || value === true || value === '1';
}

/** PostgreSQL returns bigint and count(*) as strings. */
export function toNumber(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}

export function asProvisioningState(value: number, where: string): ProvisioningState {
  if (!(value in provisioningStateNames)) {
    throw new StorageError('STORAGE_CORRUPT_ROW', `Cannot read ${where}: ${value} is not a provisioning state.`);
  }
  return value as ProvisioningState;
}

export function asWorkflowState(value: number, where: string): WorkflowState {
  if (!(value in workflowStateNames)) {
    throw new StorageError('STORAGE_CORRUPT_ROW', `Cannot read ${where}: ${value} is not a workflow state.`);
  }
  return value as WorkflowState;
}

/** Checks a text column against its allowed values. */
export function asOneOf<T extends string>(value: string, allowed: readonly T[], where: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new StorageError(
      'STORAGE_CORRUPT_ROW',
      `Cannot read ${where}: "${value}" is not one of ${allowed.join(', ')}.`,
    );
  }
  return value as T;
}
