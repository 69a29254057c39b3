import { rename, writeFile } from 'node:fs/promises';
import type { HrPerson } from './fulfil-people.ts';

/** Columns of the HR file, named after the Person properties (the CSV connector's default mapping). */
export const hrColumns = ['employeeId', 'firstName', 'lastName', 'title', 'contractStart', 'contractEnd'] as const;

/** The HR file's text: a header, one row per person; null is an empty cell; RFC 4180 quoting. */
export function hrCsv(people: readonly HrPerson[]): string {
  const lines = [hrColumns.join(',')];
  for (const person of people) lines.push(hrColumns.map((column) => csvCell(person[column])).join(','));
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Replaces the HR file as a careful drop job does: the whole file is written next to it, then
 * renamed over it, so that a reader never sees half a file.
 */
export async function writeHrFile(path: string, people: readonly HrPerson[]): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, hrCsv(people));
  await rename(temporary, path);
}
