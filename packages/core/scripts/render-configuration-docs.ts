/**
 * Writes docs/configuration.md, the configuration reference, from the JSON Schema of configuration
 * files (`configurationJsonSchema`) and examples cut from examples/basic. Run with
 * `npm run docs:config`; packages/core/test/configuration-docs.test.ts fails when the committed page
 * differs and rewrites it with ORDO_WRITE_DOCS=1.
 *
 * Core has no Node types (its tsconfig has `"types": []`) and the test imports this module, so the
 * rendering is pure and the file access below goes through a computed `import()`.
 */
import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import { configurationJsonSchema } from '../src/config/configuration-schema.ts';

/** The subset of JSON Schema that `z.toJSONSchema` produces for the configuration schemas. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly enum?: readonly (string | number)[];
  readonly const?: string | number;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** An example file as read from examples/basic: its name and text. */
export interface ExampleFile {
  readonly path: string;
  readonly text: string;
}

interface Note {
  readonly default?: string;
  readonly description?: string;
  /** The field holds a CEL expression although its schema description says something else. */
  readonly cel?: boolean;
}

/**
 * What the schema cannot say: the default the compiler applies (configuration-schema.ts carries no
 * transforms, so defaults live in compile-configuration.ts) and the meaning of fields the schema
 * leaves undescribed. Keys are schema paths: `*` is an id of a map, `[]` an item of a list. The
 * test checks that every key still exists and that every field ends up with a description.
 */
const notes: Readonly<Record<string, Note>> = {
  'entityTypes.*.displayName': { default: 'the id', description: 'name shown to people' },
  'entityTypes.*.properties': {
    description:
      'the properties of a resource of this type, by name: a scalar type, `{ type, description }`, or a navigation `{ target, multiValued }`',
  },
  'entityTypes.*.properties.*{type}.type': { description: 'scalar type of the property' },
  'entityTypes.*.properties.*{type}.description': { description: 'free text for people' },
  'entityTypes.*.properties.*{target}.description': { description: 'free text for people' },
  'entityTypes.*.properties.*{target}.multiValued': {
    default: 'false',
    description: 'true: the resource links to several resources (e.g. group memberships)',
  },
  'entityTypes.*.context.start': {
    default: 'none',
    description: 'date property where the identity’s validity starts (e.g. contract start)',
  },
  'entityTypes.*.context.end': {
    default: 'none',
    description: 'date property where the identity’s validity ends (e.g. contract end)',
  },

  'connectors.*.displayName': { default: 'the id', description: 'name shown to people' },
  'connectors.*.entityTypes': { description: 'entity types whose resources this connector exports and writes' },
  'connectors.*.connections': {
    description: 'how the agent reaches the system; connection ids are unique across connectors',
  },
  'connectors.*.connections.*.kind': {
    description:
      'connector implementation; the settings of each kind are documented in packages/connectors/src/<kind>/',
  },
  'connectors.*.connections.*.disabled': {
    description: '`export`: the connection only writes; `fulfil`: it only reads (a source such as HR); `none`: both',
  },
  'connectors.*.agent': {
    description:
      'the agent that serves this connector: `local` is the agent embedded in `ordo serve`; any other name is served by `ordo agent` started with a token created by `ordo agent token create NAME`',
  },
  'connectors.*.connections.*.settings': {
    description:
      'settings of the connector kind; a setting whose name looks like a secret (password, secret, token, apiKey…) must be `env:NAME` or `file:PATH`, which only the agent resolves',
  },
  'connectors.*.syncThresholds': {
    description:
      'limits on one synchronization of this connector; a run beyond them is refused until `ordo sync resume CONNECTION ENTITYTYPE`. Absolute and percentage limits both apply, 0 turns a limit off, percentages are of the resources already held and do not apply to a first load',
  },
  'connectors.*.syncThresholds.maxInserted': { default: '0 (off)', description: 'resources created by one run' },
  'connectors.*.syncThresholds.maxUpdated': { default: '0 (off)', description: 'resources changed by one run' },
  'connectors.*.syncThresholds.maxDeleted': { default: '0 (off)', description: 'resources removed by one run' },
  'connectors.*.syncThresholds.maxInsertedPercent': { default: '30', description: 'created, in % of those held' },
  'connectors.*.syncThresholds.maxUpdatedPercent': { default: '30', description: 'changed, in % of those held' },
  'connectors.*.syncThresholds.maxDeletedPercent': { default: '30', description: 'removed, in % of those held' },

  'categories.*.displayName': { default: 'the id', description: 'name shown to people' },
  'categories.*.parent': { default: 'none', description: 'parent category; parents may not form a cycle' },

  'resourceTypes.*.displayName': { default: 'the id', description: 'name shown to people' },
  'resourceTypes.*.category': { default: 'none', description: 'category the resource type is listed under' },
  'resourceTypes.*.connector': {
    description: 'connector that manages the target entity type (it must list `target` in its `entityTypes`)',
  },
  'resourceTypes.*.fulfil': { description: 'how orders of this resource type are written' },
  'resourceTypes.*.fulfil.connection': {
    description:
      'connection of `connector` that executes the orders; a `manual` connection sends them to people (Manual Provisioning)',
  },
  'resourceTypes.*.fulfil.noSynchronization': {
    default: 'false',
    description: 'a confirmed ticket is 4 Verified at once instead of 8 Executed',
  },
  'resourceTypes.*.requireProvisioningReview': {
    default: 'false',
    description:
      'every order of this resource type waits in 5 Awaiting Approval for a decision on Provisioning Review (Usercube’s BlockProvisioning, whose default is true)',
  },
  'resourceTypes.*.approval': { default: '0' },
  'resourceTypes.*.implicitApproval': {
    default: 'false',
    description: 'a requester who holds the review permission skips the approval steps',
  },
  'resourceTypes.*.allowAdd': {
    default: 'true',
    description: 'Ordo may create targets; false: no Added order, a person creates the target and it is correlated',
  },
  'resourceTypes.*.allowRemove': {
    default: 'true',
    description: 'Ordo may delete targets that lost their justification; false: they go to Resource Reconciliation',
  },
  'resourceTypes.*.removeOrphans': {
    default: 'false',
    description: 'delete targets whose owner disappeared; needs `allowRemove: true`',
  },
  'resourceTypes.*.discardManualAssignments': {
    default: 'false',
    description:
      'true: recomputed values are provisioned even over manually approved ones; false: such a value becomes Approved – Questioned and no order is made',
  },
  'resourceTypes.*.correlateMultipleResources': {
    default: 'false',
    description: 'one owner may own several targets of this resource type',
  },
  'resourceTypes.*.suggestAllCorrelations': {
    default: 'false',
    description: 'propose matches below 100 for review even when a match of 100 or more exists',
  },
  'resourceTypes.*.dependsOn': {
    default: 'none',
    description:
      'resource type the owner must already have provisioned (e.g. the directory account before the mailbox); orders wait until it is',
  },
  'resourceTypes.*.dependsOnOwnerProperty': {
    default: 'none',
    description: 'scalar property of the owner that must have a value before orders are sent',
  },
  'resourceTypes.*.fulfilHoursAhead': {
    default: '0',
    description: 'hand orders out this many hours before the assignment starts (the start date is unchanged)',
  },
  'resourceTypes.*.watchdogMinutes': {
    default: '0 (off)',
    description: 'orders left 2 Transmitted or 8 Executed longer than this turn 3 Errored',
  },
  'resourceTypes.*.thresholds': {
    description:
      'limits on the orders of one generation run for this resource type; exceeding one blocks the whole run until `ordo orders generate --resume`. Absolute and percentage limits both apply (the lower wins), 0 turns a limit off, percentages are of the targets already assigned and do not apply to a first load. A Modified order counts once however many values it changes',
  },
  'resourceTypes.*.thresholds.maxInsert': { default: '0 (off)', description: 'Added orders' },
  'resourceTypes.*.thresholds.maxUpdate': { default: '0 (off)', description: 'Modified orders' },
  'resourceTypes.*.thresholds.maxDelete': { default: '0 (off)', description: 'Deleted orders' },
  'resourceTypes.*.thresholds.maxInsertPercent': { default: '30', description: 'Added orders, in % of the targets' },
  'resourceTypes.*.thresholds.maxUpdatePercent': {
    default: '30',
    description: 'Modified orders, in % of the targets',
  },
  'resourceTypes.*.thresholds.maxDeletePercent': { default: '30', description: 'Deleted orders, in % of the targets' },
  'resourceTypes.*.types': {
    description: 'type rules: who gets this resource type; no criterion gives it to every owner; several rules = OR',
  },
  'resourceTypes.*.types[].when': { default: 'always', description: 'condition over `identity` (bool)' },
  'resourceTypes.*.types[].type': {
    description:
      '`required`: given automatically (workflow 18 Calculated); `automatic_with_validation`: proposed, a person validates it (23); `suggested`: only suggested (21)',
  },
  'resourceTypes.*.types[].role': {
    default: 'none',
    description: 'single role criterion: owners holding the role get the resource type',
  },
  'resourceTypes.*.types[].denied': { default: 'false', description: 'true forbids the resource type' },
  'resourceTypes.*.scalars': {
    description:
      'scalar rules: the value of a target property. A rule with a role criterion beats one without; only one rule without role per property and period',
  },
  'resourceTypes.*.scalars[].property': { description: 'scalar property of the target entity type' },
  'resourceTypes.*.scalars[].expression': {
    description: 'over `identity` (and `assignment`, `now`); its type must match the property',
  },
  'resourceTypes.*.scalars[].role': {
    default: 'none',
    description: 'single role criterion; also creates the target for holders not yet correlated',
  },
  'resourceTypes.*.scalars[].when': { default: 'always', description: 'condition over `identity` (bool)' },
  'resourceTypes.*.scalars[].comparison': {
    default: 'case_sensitive',
    description:
      'how the read-back and synchronized value is compared with the computed one: simplified ignores diacritics, case and non-letters; approximate also treats similar-sounding letters as equal',
  },
  'resourceTypes.*.scalars[].timeOffset.reference': {
    description:
      '`around`: from the context start plus `startMinutes` to the context end plus `endMinutes`; `before`: both ends measured from the context start; `after`: both from the context end',
  },
  'resourceTypes.*.navigations[].timeOffset.reference': {
    description:
      '`around`: from the context start plus `startMinutes` to the context end plus `endMinutes`; `before`: both ends measured from the context start; `after`: both from the context end',
  },
  'resourceTypes.*.navigations': {
    description: 'navigation rules: a fixed link (e.g. a group membership) for owners who match',
  },
  'resourceTypes.*.navigations[].property': { description: 'navigation property of the target entity type' },
  'resourceTypes.*.navigations[].role': {
    default: 'none',
    description: 'single role criterion; gives the resource type (workflow 118) when the owner has no target yet',
  },
  'resourceTypes.*.navigations[].when': { default: 'always', description: 'condition over `identity` (bool)' },
  'resourceTypes.*.navigations[].denied': { default: 'false', description: 'true forbids the link' },
  'resourceTypes.*.queries': {
    description:
      'query rules: a link chosen by matching owner and candidates, tried by descending confidence, first match wins; never creates targets; a property has navigation rules or query rules, not both',
  },
  'resourceTypes.*.queries[].property': { description: 'navigation property of the target entity type' },
  'resourceTypes.*.queries[].when': { default: 'always', description: 'condition over `identity` (bool)' },
  'resourceTypes.*.queries[].source': { cel: true },
  'resourceTypes.*.queries[].target': { cel: true },
  'resourceTypes.*.correlations[].source': { cel: true },
  'resourceTypes.*.correlations[].target': { cel: true },
  'resourceTypes.*.classifications[].when': { cel: true },
  'resourceTypes.*.correlations': {
    description: 'correlation rules: which existing target belongs to which owner, tried by descending confidence',
  },
  'resourceTypes.*.classifications': {
    description: 'classification rules: which uncorrelated targets are of this resource type',
  },

  'singleRoles.*.displayName': { default: 'the id', description: 'name shown to people' },
  'singleRoles.*.entityType': { description: 'entity type of the identities that hold the role (e.g. Person)' },
  'singleRoles.*.category': { default: 'none', description: 'category the role is listed under' },
  'singleRoles.*.approval': { default: '0' },
  'singleRoles.*.implicitApproval': {
    default: 'false',
    description: 'a requester who holds the review permission skips the approval steps',
  },
  'singleRoles.*.maxDurationMinutes': { default: '0 (no limit)', description: 'manual assignments end after this' },
  'singleRoles.*.gracePeriodMinutes': {
    default: '0 (removed at once)',
    description: 'an automatic assignment whose rule stops matching is kept this long (Prolonged)',
  },
  'singleRoles.*.rules': {
    description: 'rules giving the role; no criterion gives it to every identity of the entity type; several = OR',
  },
  'singleRoles.*.rules[].when': { default: 'always', description: 'condition over `identity` (bool)' },
  'singleRoles.*.rules[].denied': { default: 'false', description: 'true forbids the role' },
  'singleRoles.*.rules[].compositeRole': {
    default: 'none',
    description: 'composite role criterion: holders of the composite role get this single role',
  },
  'singleRoles.*.rules[].type': {
    description:
      '`required`: given automatically (workflow 18 Calculated); `automatic_with_validation`: proposed, a person validates it (23); `suggested`: only suggested (21)',
  },

  'compositeRoles.*.displayName': { default: 'the id', description: 'name shown to people' },
  'compositeRoles.*.entityType': { description: 'entity type of the identities that hold the role (e.g. Person)' },
  'compositeRoles.*.category': { default: 'none', description: 'category the role is listed under' },
  'compositeRoles.*.approval': { default: '0' },
  'compositeRoles.*.implicitApproval': {
    default: 'false',
    description: 'a requester who holds the review permission skips the approval steps',
  },
  'compositeRoles.*.maxDurationMinutes': { default: '0 (no limit)', description: 'manual assignments end after this' },
  'compositeRoles.*.gracePeriodMinutes': {
    default: '0 (removed at once)',
    description: 'an automatic assignment whose rule stops matching is kept this long (Prolonged)',
  },
  'compositeRoles.*.rules': {
    description: 'rules giving the role; no criterion gives it to every identity of the entity type; several = OR',
  },
  'compositeRoles.*.rules[].when': { default: 'always', description: 'condition over `identity` (bool)' },
  'compositeRoles.*.rules[].denied': { default: 'false', description: 'true forbids the role' },
  'compositeRoles.*.rules[].type': {
    description:
      '`required`: given automatically (workflow 18 Calculated); `automatic_with_validation`: proposed, a person validates it (23); `suggested`: only suggested (21)',
  },

  'profiles.*.displayName': { default: 'the id', description: 'name shown to people' },
  'profiles.*.permissions': {
    description:
      'Usercube permission paths; a full path ending with the entity type grants the screen and its notifications, a parent path grants the rights below it without notifications',
  },
  'profiles.*.scope': { default: 'all' },
  'profiles.*.managerProperty': { default: 'manager' },
};

/** What a field's row shows, from the schema and `notes` merged. */
interface Row {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly defaultValue: string;
  readonly allowed: string;
  readonly description: string;
}

/** One table: the fields of one object shape, under a heading naming where it sits in a file. */
interface Table {
  readonly path: string;
  readonly heading: string;
  readonly description: string;
  readonly rows: readonly Row[];
}

const idPattern = '^[A-Za-z][A-Za-z0-9_.-]*$';
const MAX_SAFE = 9007199254740991;

/** The examples shown after each section: the file and the items cut from it, verbatim. */
const examplePicks: Readonly<Record<string, { readonly file: string; readonly ids: readonly string[] }>> = {
  entityTypes: { file: 'entity-types.yaml', ids: ['Person'] },
  connectors: { file: 'connectors.yaml', ids: ['HR', 'Directory'] },
  categories: { file: 'roles.yaml', ids: ['Directory', 'DirectoryGroups'] },
  resourceTypes: { file: 'resource-types.yaml', ids: ['LdapAdminAccount', 'Badge'] },
  singleRoles: { file: 'roles.yaml', ids: ['EngineeringGroup', 'SiteBadge'] },
  compositeRoles: { file: 'roles.yaml', ids: ['Employee'] },
  profiles: { file: 'profiles.yaml', ids: ['Manager'] },
};

const sectionIntros: Readonly<Record<string, string>> = {
  entityTypes: 'What a resource of each kind looks like: identities (Person), accounts, groups.',
  connectors: 'The systems Ordo reads and writes, each reached through one or more connections run by an agent.',
  categories: 'A tree of labels that groups roles and resource types for people.',
  resourceTypes:
    'A resource type binds an owner entity type (`source`, e.g. Person) to an owned one (`target`, e.g. LdapAccount) in a connector, with its rules and its review, removal and threshold options.',
  singleRoles:
    'Business entitlements given by rules or requested; resource type, scalar and navigation rules use them as criteria.',
  compositeRoles: 'Roles that give single roles (through the single roles’ `compositeRole` criterion).',
  profiles: 'Sets of permission paths given to accounts, with the identities they reach.',
};

/**
 * The Markdown of docs/configuration.md. `examples` are the files of examples/basic; every item
 * named in `examplePicks` must exist there (the page fails to render otherwise, so the test
 * notices an example renamed away).
 */
export function renderConfigurationDocs(
  schema: JsonSchema = configurationJsonSchema() as JsonSchema,
  examples: readonly ExampleFile[] = [],
): string {
  const sections = Object.entries(schema.properties ?? {});
  const lines: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from the configuration schema (packages/core/src/config/configuration-schema.ts) and',
    '     examples/basic by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'A configuration is a folder of YAML files. Each file may hold any of the top-level sections below;',
    'the items of a section are merged across files, keyed by id (an id defined twice is an error). An',
    `id starts with a letter and has only letters, digits, \`_\`, \`.\` and \`-\` (\`${idPattern}\`).`,
    'Unknown fields are errors. `ordo config check DIR` reports every problem at once with file, line',
    'and path; `ordo config apply DIR` stores the folder as a new numbered version; `ordo plan DIR`',
    'shows what applying it would do. Editors complete and check the files with',
    '[`configuration-schema.json`](configuration-schema.json) (`ordo config schema` prints it): start',
    'a file with `# yaml-language-server: $schema=<path to configuration-schema.json>`.',
    '',
    'Expressions (`when`, `expression`, `source`, `target`) are CEL. They see `identity` (the owner,',
    'typed after the source entity type), `resource` (the target or candidate, in correlation targets,',
    'classifications and query targets), `assignment` (`start`, `end`) and `now`, plus Ordo’s',
    'functions `lower`, `upper`, `removeDiacritics`, `simplify`, `join`, `split`, `substring`,',
    '`coalesce`, `formatDate` and `unique`. A property with no value is `null`. Each expression is',
    'type-checked against the entity type it runs on when the configuration is checked.',
    '',
    'In the tables, **Default** is the value the compiler uses when the field is left out, and',
    '`<id>` stands for an id you choose. Durations are in minutes unless the name says otherwise.',
    '',
    '## Sections',
    '',
    ...sections.map(
      ([name, section]) => `- [\`${name}\`](#${anchor(name)}): ${sectionIntros[name] ?? section.description ?? ''}`,
    ),
    '',
  ];
  for (const [name, section] of sections) {
    const item = recordValue(section);
    lines.push(`## ${name}`, '', sectionIntros[name] ?? '', '');
    if (!item) throw new Error(`section ${name} is not a map of ids`);
    for (const table of tables(`${name}.*`, `${name}.<id>`, item)) {
      lines.push(...renderTable(table));
    }
    const pick = examplePicks[name];
    if (pick && examples.length > 0) {
      lines.push(
        `Example (\`examples/basic/${pick.file}\`):`,
        '',
        '```yaml',
        ...cutExample(examples, name, pick),
        '```',
        '',
      );
    }
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/**
 * Every field path the page documents and whether it has a description (from the schema or from
 * `notes`), for the test: a new field without one, or a note whose field is gone, fails it.
 */
export function documentedFields(schema: JsonSchema = configurationJsonSchema() as JsonSchema): {
  readonly fields: readonly { readonly path: string; readonly described: boolean }[];
  readonly unusedNotes: readonly string[];
} {
  const fields: { path: string; described: boolean }[] = [];
  const seen = new Set<string>();
  for (const table of allTables(schema)) {
    for (const row of table.rows) {
      const path = `${table.path}.${row.name}`;
      seen.add(path);
      fields.push({ path, described: row.description !== '' });
    }
  }
  return { fields, unusedNotes: Object.keys(notes).filter((key) => !seen.has(key)) };
}

/** The documented default of each field that has one (from the schema or `notes`), keyed by schema path. */
export function documentedDefaults(
  schema: JsonSchema = configurationJsonSchema() as JsonSchema,
): Readonly<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of allTables(schema)) {
    for (const row of table.rows) if (row.defaultValue !== '') result[`${table.path}.${row.name}`] = row.defaultValue;
  }
  return result;
}

function allTables(schema: JsonSchema): Table[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, section]) => {
    const item = recordValue(section);
    return item ? tables(`${name}.*`, `${name}.<id>`, item) : [];
  });
}

// ------------------------------------------------------------------------------- schema walking

/** The value schema of a map keyed by ids (`additionalProperties` with `propertyNames`). */
function recordValue(schema: JsonSchema): JsonSchema | null {
  return typeof schema.additionalProperties === 'object' && schema.properties === undefined
    ? schema.additionalProperties
    : null;
}

/** The object shapes nested in a field, with the suffix naming how they nest. */
function nestedObjects(schema: JsonSchema): { suffix: string; label: string; schema: JsonSchema }[] {
  if (schema.properties) return [{ suffix: '', label: '', schema }];
  if (schema.items)
    return nestedObjects(schema.items).map((n) => ({ ...n, suffix: `[]${n.suffix}`, label: `[]${n.label}` }));
  const value = recordValue(schema);
  if (value) {
    const key = schema.propertyNames?.pattern === idPattern ? '<id>' : '<name>';
    return nestedObjects(value).map((n) => ({ ...n, suffix: `.*${n.suffix}`, label: `.${key}${n.label}` }));
  }
  if (schema.anyOf) {
    const objects = schema.anyOf.filter((s) => s.properties);
    // Several object shapes for one field: name each after its required field.
    return objects.flatMap((s) =>
      nestedObjects(s).map((n) => {
        const tag = objects.length > 1 ? `{${s.required?.[0] ?? ''}}` : '';
        return { ...n, suffix: `${tag}${n.suffix}`, label: `${tag ? ` (with ${s.required?.[0]})` : ''}${n.label}` };
      }),
    );
  }
  return [];
}

function tables(path: string, heading: string, schema: JsonSchema, description = ''): Table[] {
  const required = new Set(schema.required ?? []);
  const rows: Row[] = [];
  const children: Table[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const fieldPath = `${path}.${name}`;
    const note = notes[fieldPath] ?? {};
    const described = describeType(field);
    const cel = note.cel === true || field.description === 'CEL expression';
    const type = cel ? 'CEL expression' : described.type;
    const allowed = cel ? '' : described.allowed;
    const [schemaDefault, schemaText] = splitDefault(cel && !note.cel ? '' : (field.description ?? ''));
    const fieldDescription = [schemaText, note.description].filter((s) => s).join('; ');
    rows.push({
      name,
      type,
      required: required.has(name),
      defaultValue: note.default ?? schemaDefault,
      allowed,
      description: fieldDescription,
    });
    for (const nested of nestedObjects(field)) {
      children.push(
        ...tables(`${fieldPath}${nested.suffix}`, `${heading}.${name}${nested.label}`, nested.schema, fieldDescription),
      );
    }
  }
  return [{ path, heading, description, rows }, ...children];
}

/**
 * Moves a default written in a schema description to its column: "default none",
 * "default 0; negative = earlier", 'default "local" (the agent…)', "stable rule id; default X".
 */
function splitDefault(description: string): [string, string] {
  const leading = /^default ([^;]+)(?:; (.*))?$/.exec(description);
  if (leading) return [leading[1]!, leading[2] ?? ''];
  const trailing = /^(.*); default ([^;]+)$/.exec(description);
  if (trailing) return [trailing[2]!, trailing[1]!];
  return ['', description];
}

function describeType(schema: JsonSchema): { type: string; allowed: string } {
  if (schema.anyOf) {
    const consts = schema.anyOf.filter((s) => s.const !== undefined);
    const others = schema.anyOf.filter((s) => s.const === undefined);
    const parts = others.map((s) => describeType(s));
    const constTypes = [...new Set(consts.map((s) => (typeof s.const === 'number' ? 'integer' : 'string')))];
    const types = [...new Set([...constTypes, ...parts.map((p) => p.type)])];
    const allowed = [...consts.map((s) => code(s.const!)), ...parts.map((p) => p.allowed).filter((a) => a)];
    return { type: types.join(' or '), allowed: allowed.join(', ') };
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : ((schema.type as string | undefined) ?? 'any');
  if (schema.enum) return { type, allowed: schema.enum.map(code).join(', ') };
  if (type === 'array') {
    const item = schema.items ? describeType(schema.items) : { type: 'any', allowed: '' };
    return { type: `list of ${item.type === 'object' ? 'objects' : item.type}`, allowed: item.allowed };
  }
  if (type === 'object') {
    const value = recordValue(schema);
    if (value) {
      const inner = describeType(value);
      const key = schema.propertyNames?.pattern === idPattern ? 'id' : 'name';
      return { type: `map of ${key} → ${inner.type}`, allowed: inner.allowed };
    }
    return { type: 'object', allowed: '' };
  }
  if (type === 'null') return { type, allowed: '' };
  const limits: string[] = [];
  if (schema.pattern !== undefined && schema.pattern !== idPattern) limits.push(`matches \`${schema.pattern}\``);
  if (schema.pattern === idPattern) limits.push('an id');
  if (schema.minLength !== undefined && schema.minLength > 0 && schema.pattern === undefined) limits.push('not empty');
  const min = schema.minimum !== undefined && schema.minimum > -MAX_SAFE ? schema.minimum : undefined;
  const max = schema.maximum !== undefined && schema.maximum < MAX_SAFE ? schema.maximum : undefined;
  if (min !== undefined && max !== undefined) limits.push(`${min}–${max}`);
  else if (min !== undefined) limits.push(`≥ ${min}`);
  else if (max !== undefined) limits.push(`≤ ${max}`);
  return { type, allowed: limits.join(', ') };
}

const code = (value: string | number): string => `\`${value}\``;

// ------------------------------------------------------------------------------- rendering

function renderTable(table: Table): string[] {
  const lines = [`### \`${table.heading}\``, ''];
  if (table.description) lines.push(`${capitalize(table.description)}.`, '');
  lines.push(
    '| Field | Type | Required | Default | Allowed values | Description |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const row of table.rows) {
    lines.push(
      `| \`${row.name}\` | ${cell(row.type)} | ${row.required ? 'yes' : 'no'} | ${cell(row.defaultValue)} | ${cell(row.allowed)} | ${cell(row.description)} |`,
    );
  }
  lines.push('');
  return lines;
}

/**
 * A table cell: pipes escaped, and `<placeholders>` outside code spans put in code so that
 * Markdown does not take them for HTML tags.
 */
function cell(text: string): string {
  return text
    .split('`')
    .map((part, index) => (index % 2 === 0 ? part.replace(/<[^<>]+>(?:#<[^<>]+>)?/g, (m) => `\`${m}\``) : part))
    .join('`')
    .replaceAll('|', '\\|');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** GitHub's heading anchors: lower case, spaces to dashes, punctuation dropped. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/** The items `pick.ids` of `section`, cut verbatim (comments included) from the example file. */
function cutExample(
  examples: readonly ExampleFile[],
  section: string,
  pick: { file: string; ids: readonly string[] },
): string[] {
  const file = examples.find((e) => e.path === pick.file);
  if (!file) throw new Error(`example file examples/basic/${pick.file} is missing`);
  const document = parseDocument(file.text);
  const root = document.contents;
  const sectionPair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === section) : undefined;
  if (!sectionPair || !isMap(sectionPair.value)) {
    throw new Error(`examples/basic/${pick.file} has no section ${section}`);
  }
  const out = [`${section}:`];
  for (const id of pick.ids) {
    const pair = sectionPair.value.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === id);
    const keyRange = pair && isScalar(pair.key) ? pair.key.range : undefined;
    const valueRange = (pair?.value as { range?: [number, number, number] } | undefined)?.range;
    if (!keyRange || !valueRange) throw new Error(`examples/basic/${pick.file} has no ${section}.${id}`);
    const lineStart = file.text.lastIndexOf('\n', keyRange[0]) + 1;
    out.push(...file.text.slice(lineStart, valueRange[1]).trimEnd().split('\n'));
  }
  return out;
}

// ------------------------------------------------------------------------------- command

interface ScriptFileSystem {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, data: string): void;
}

/** Reads examples/basic/*.yaml from the repository that holds this script. */
export async function readExampleFiles(repositoryRoot: string): Promise<ExampleFile[]> {
  const fs = await nodeFileSystem();
  const folder = `${repositoryRoot}/examples/basic`;
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({ path: name, text: fs.readFileSync(`${folder}/${name}`, 'utf8') }));
}

/** The repository root: this file is packages/core/scripts/render-configuration-docs.ts. */
export function repositoryRoot(): string {
  const url = (import.meta as unknown as { url: string }).url;
  return decodeURIComponent(url.replace(/^file:\/\//, '')).replace(/\/packages\/core\/scripts\/[^/]+$/, '');
}

const fsModule = 'node:fs';
async function nodeFileSystem(): Promise<ScriptFileSystem> {
  return (await import(/* @vite-ignore */ fsModule)) as ScriptFileSystem;
}

// The Node globals this command uses, typed here since core has no Node types.
const node = globalThis as { process?: { argv: string[]; stdout: { write(text: string): void } } };
const argv = node.process?.argv ?? [];
if (argv[1]?.endsWith('render-configuration-docs.ts')) {
  const root = repositoryRoot();
  const target = `${root}/docs/configuration.md`;
  const fs = await nodeFileSystem();
  fs.writeFileSync(target, renderConfigurationDocs(undefined, await readExampleFiles(root)));
  node.process?.stdout.write(`wrote ${target}\n`);
}
