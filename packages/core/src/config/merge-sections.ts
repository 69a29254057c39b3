import type { z } from 'zod';
import {
  type CategoryInput,
  type CompositeRoleInput,
  type ConnectorInput,
  type EntityTypeInput,
  type ProfileInput,
  type ResourceTypeInput,
  SECTION_NAMES,
  type SectionName,
  type SingleRoleInput,
  sectionSchemas,
} from './configuration-schema.ts';
import type { ProblemLog } from './problem-log.ts';
import { parseYamlSource, type YamlPath } from './yaml-source.ts';

/** One item of a section, with where it was written. */
export interface Entry<T> {
  readonly id: string;
  readonly file: string;
  /** `[section, id]` */
  readonly path: YamlPath;
  readonly value: T;
  /** Shape problems were reported and the faulty fields dropped: references to them stay silent. */
  readonly repaired: boolean;
}

interface SectionInputs {
  entityTypes: EntityTypeInput;
  connectors: ConnectorInput;
  categories: CategoryInput;
  resourceTypes: ResourceTypeInput;
  singleRoles: SingleRoleInput;
  compositeRoles: CompositeRoleInput;
  profiles: ProfileInput;
}

/**
 * The valid items of every section, merged across files, plus the ids of items that exist but were
 * invalid: references to those are not reported again (one mistake, one problem).
 */
export type MergedSections = { readonly [K in SectionName]: ReadonlyMap<string, Entry<SectionInputs[K]>> } & {
  readonly invalid: { readonly [K in SectionName]: ReadonlySet<string> };
};

const SECTION_LABEL: Record<SectionName, string> = {
  entityTypes: 'entity type',
  connectors: 'connector',
  categories: 'category',
  resourceTypes: 'resource type',
  singleRoles: 'single role',
  compositeRoles: 'composite role',
  profiles: 'profile',
};

export function sectionLabel(section: SectionName): string {
  return SECTION_LABEL[section];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Parses every file, validates each item against its section schema, and merges items by id. */
export function mergeSections(files: readonly { path: string; text: string }[], log: ProblemLog): MergedSections {
  const merged = Object.fromEntries(SECTION_NAMES.map((name) => [name, new Map()])) as unknown as Record<
    SectionName,
    Map<string, Entry<unknown>>
  >;
  const invalid = Object.fromEntries(SECTION_NAMES.map((name) => [name, new Set<string>()])) as Record<
    SectionName,
    Set<string>
  >;

  for (const file of files) {
    const source = parseYamlSource(file.path, file.text);
    log.addSource(source);
    for (const error of source.errors) {
      log.reportAt('CONFIG_YAML_SYNTAX', file.path, error.line, error.column, error.message);
    }
    if (source.data === undefined || source.data === null) continue;
    if (!isPlainObject(source.data)) {
      log.report(
        'CONFIG_INVALID',
        file.path,
        [],
        `a configuration file is a map of sections (${SECTION_NAMES.join(', ')})`,
      );
      continue;
    }
    for (const [section, items] of Object.entries(source.data)) {
      if (!(SECTION_NAMES as string[]).includes(section)) {
        log.report(
          'CONFIG_INVALID',
          file.path,
          [section],
          `unknown section "${section}" (known: ${SECTION_NAMES.join(', ')})`,
        );
        continue;
      }
      const name = section as SectionName;
      if (items === null) continue;
      if (!isPlainObject(items)) {
        log.report('CONFIG_INVALID', file.path, [name], `"${name}" is a map from id to ${sectionLabel(name)}`);
        continue;
      }
      for (const [id, raw] of Object.entries(items)) {
        const path = [name, id];
        const previous = merged[name].get(id);
        if (previous || invalid[name].has(id)) {
          const where = previous
            ? ` (first defined in ${previous.file}:${log.location(previous.file, previous.path).line})`
            : '';
          log.report('CONFIG_DUPLICATE_ID', file.path, path, `${sectionLabel(name)} "${id}" is defined twice${where}`);
          continue;
        }
        let valid = true;
        if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(id)) {
          log.report(
            'CONFIG_INVALID',
            file.path,
            path,
            `"${id}" is not a valid id: start with a letter; use letters, digits, "_", "." and "-"`,
          );
          valid = false;
        }
        const schema = sectionSchemas[name] as z.ZodType;
        const parsed = schema.safeParse(raw ?? {});
        let value: unknown = parsed.data;
        if (!parsed.success) {
          for (const issue of parsed.error.issues) reportIssue(log, file.path, path, issue);
          value = salvage(schema, raw, parsed.error.issues);
        }
        if (valid && value !== undefined)
          merged[name].set(id, { id, file: file.path, path, value, repaired: !parsed.success });
        else invalid[name].add(id);
      }
    }
  }
  return { ...(merged as unknown as MergedSections), invalid } as MergedSections;
}

function reportIssue(log: ProblemLog, file: string, itemPath: YamlPath, issue: z.core.$ZodIssue): void {
  const path = [...itemPath, ...(issue.path as (string | number)[])];
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) log.report('CONFIG_INVALID', file, [...path, key], `unknown field "${key}"`);
    return;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const field = path[path.length - 1];
    log.report('CONFIG_INVALID', file, path.slice(0, -1), `missing required field "${String(field)}"`);
    return;
  }
  log.report('CONFIG_INVALID', file, path, issue.message);
}

/**
 * After reporting an item's shape problems, drops the offending fields and validates again, so the
 * rest of the item still gets its reference and expression checks (every problem, not the first).
 * First the faulty leaves go; if that is not enough, the whole top-level field holding each fault
 * (e.g. all `scalars` when one scalar rule lacks its `property`). Undefined when the item cannot be
 * saved (a required field is missing or wrong): it is then treated as existing but invalid.
 */
function salvage(schema: z.ZodType, raw: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  if (!isPlainObject(raw)) return undefined;
  const current = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
  let faults = issues;
  for (const depth of [Number.POSITIVE_INFINITY, 1]) {
    for (const issue of faults) {
      const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
      if (issue.code === 'unrecognized_keys' && depth > 1) {
        for (const key of issue.keys) removeAt(current, [...path, key]);
      } else {
        removeAt(current, path.slice(0, depth));
      }
    }
    const again = schema.safeParse(current);
    if (again.success) return again.data;
    faults = again.error.issues;
  }
  return undefined;
}

function removeAt(root: Record<string, unknown>, path: readonly (string | number)[]): void {
  if (path.length === 0) return;
  let node: unknown = root;
  for (const segment of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = (node as Record<string | number, unknown>)[segment];
  }
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(node)) return; // removing a list item would shift the indexes used in rule ids
  if (node !== null && typeof node === 'object') delete (node as Record<string | number, unknown>)[last];
}
