/**
 * The directory API gives each identity a bag of scalar values whose names depend on the entity
 * type's configuration (no schema endpoint). These helpers pick a readable name and the columns
 * worth showing from the values themselves, so the screens work for any entity type.
 */

export type Values = Readonly<Record<string, unknown>>;

/** Values that make up the person's name; shown as the name, not again as columns. */
const nameParts = ['displayName', 'fullName', 'name', 'preferredName', 'firstName', 'givenName', 'lastName', 'sn'];

/** "Léa Laurent" from display/first/last names when the entity type has them; else the key. */
export function identityName(values: Values, key: string): string {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  const whole = text('displayName') ?? text('fullName') ?? text('name');
  if (whole) return whole;
  const first = text('preferredName') ?? text('firstName') ?? text('givenName');
  const last = text('lastName') ?? text('sn');
  const joined = [first, last].filter(Boolean).join(' ');
  return joined || key;
}

/**
 * The value names to show as columns, in the API's order: not the name parts, and not a value that
 * only repeats the key (employeeId = key), which would waste a column on a laptop screen.
 */
export function valueColumns(items: readonly { key: string; values: Values }[], max = 6): string[] {
  const seen = new Set<string>();
  for (const item of items) for (const name of Object.keys(item.values)) seen.add(name);
  const repeatsKey = (name: string) => items.length > 0 && items.every((i) => i.values[name] === i.key);
  return [...seen].filter((name) => !nameParts.includes(name) && !repeatsKey(name)).slice(0, max);
}

/** "jobTitle" → "Job title": configuration names read as headers. */
export function humanize(name: string): string {
  const spaced = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** One value as text: booleans as Yes/No, empty as a dash, lists joined, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
