import { compileExpression } from '../cel/compile-expression.ts';
import { type EntityShape, type ExpressionScope, entityShape } from '../cel/expression-scope.ts';
import type { Expression } from '../expression.ts';
import type {
  ApprovalSteps,
  Category,
  Connection,
  Connector,
  EntityType,
  Model,
  Profile,
  Property,
  ResourceType,
  Role,
  Rules,
  RuleType,
  SettingValue,
  TimeOffset,
} from '../model.ts';
import type { ConfigProblem } from './config-problem.ts';
import type { ResourceTypeInput, SectionName, TimeOffsetInput } from './configuration-schema.ts';
import { deepFreeze } from './deep-freeze.ts';
import { findCycle } from './find-cycle.ts';
import { type Entry, type MergedSections, mergeSections, sectionLabel } from './merge-sections.ts';
import { ProblemLog } from './problem-log.ts';
import { parseSettingValue } from './setting-value.ts';
import { formatYamlPath, type YamlPath } from './yaml-source.ts';

export type CompileConfigurationResult =
  | { readonly ok: true; readonly model: Model }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

/** A configuration file as read by the caller (the CLI reads the folder; this stays pure). */
export interface ConfigurationFile {
  /** Path as shown in problems, usually relative to the configuration folder. */
  readonly path: string;
  readonly text: string;
}

/**
 * Compiles a configuration folder into a frozen `Model`: parses every YAML file, validates shapes,
 * merges sections across files, resolves references, type-checks every CEL expression against the
 * entity type it runs on, and reports EVERY problem found, each located at its YAML node.
 */
export function compileConfiguration(files: readonly ConfigurationFile[]): CompileConfigurationResult {
  const log = new ProblemLog();
  const sections = mergeSections(files, log);
  const model = new ModelCompiler(sections, log).compile();
  if (log.problems.length > 0) return { ok: false, problems: sortProblems(log.problems) };
  return { ok: true, model: deepFreeze(model) };
}

function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

const approvalSteps = (value: 0 | 1 | 2 | 3 | 'not_requestable' | undefined): ApprovalSteps =>
  value === 'not_requestable' ? null : (value ?? 0);

const list = (ids: Iterable<string>): string => {
  const all = [...ids];
  return all.length === 0 ? 'none defined' : all.join(', ');
};

class ModelCompiler {
  readonly #shapes = new Map<string, EntityShape>();
  readonly #ruleIds = new Map<string, { file: string; path: YamlPath }>();
  readonly #rules: { [K in keyof Rules]: Rules[K][number][] } = {
    compositeRoles: [],
    singleRoles: [],
    types: [],
    scalars: [],
    navigations: [],
    queries: [],
    correlations: [],
    classifications: [],
  };

  constructor(
    readonly sections: MergedSections,
    readonly log: ProblemLog,
  ) {}

  compile(): Model {
    const entityTypes = this.#entityTypes();
    for (const [id, entityType] of Object.entries(entityTypes)) this.#shapes.set(id, entityShape(entityType));
    const connectors = this.#connectors();
    const categories = this.#categories();
    const singleRoles = this.#roles('singleRoles');
    const compositeRoles = this.#roles('compositeRoles');
    const model: Model = {
      entityTypes,
      connectors,
      categories,
      resourceTypes: {},
      singleRoles,
      compositeRoles,
      rules: this.#rules,
      profiles: this.#profiles(),
    };
    this.#roleRules();
    this.#resourceTypes(model);
    return model;
  }

  // ---------------------------------------------------------------- references

  /** True when `id` exists in `section` (valid or not); otherwise reports it as unknown. */
  #known(section: SectionName, id: string, file: string, path: YamlPath): boolean {
    if (this.sections[section].has(id)) return true;
    if (this.sections.invalid[section].has(id)) return false;
    this.log.report(
      'CONFIG_UNKNOWN_REFERENCE',
      file,
      path,
      `unknown ${sectionLabel(section)} "${id}" (known: ${list(this.sections[section].keys())})`,
    );
    return false;
  }

  #property(
    entityTypeId: string,
    name: string,
    kind: Property['kind'],
    file: string,
    path: YamlPath,
    why: string,
  ): Property | null {
    const entityType = this.sections.entityTypes.get(entityTypeId);
    if (!entityType) return null;
    const property = this.#compiledProperties.get(entityTypeId)?.[name];
    if (!property && entityType.repaired) return null;
    if (!property) {
      this.log.report(
        'CONFIG_UNKNOWN_REFERENCE',
        file,
        path,
        `entity type "${entityTypeId}" has no property "${name}" (known: ${list(Object.keys(entityType.value.properties))})`,
      );
      return null;
    }
    if (property.kind !== kind) {
      this.log.report(
        'CONFIG_WRONG_KIND',
        file,
        path,
        `property "${name}" of "${entityTypeId}" is a ${property.kind} property; ${why} needs a ${kind} property`,
      );
      return null;
    }
    return property;
  }

  #checkRuleId(explicitId: string | undefined, file: string, path: YamlPath): string {
    const id = explicitId ?? `${file}#${formatYamlPath(path)}`;
    const previous = this.#ruleIds.get(id);
    if (previous) {
      const line = this.log.location(previous.file, previous.path).line;
      this.log.report(
        'CONFIG_DUPLICATE_ID',
        file,
        [...path, 'id'],
        `rule id "${id}" is already used in ${previous.file}:${line}`,
      );
    } else {
      this.#ruleIds.set(id, { file, path });
    }
    return id;
  }

  // ---------------------------------------------------------------- expressions

  /**
   * Compiles a CEL expression. `expected` lists the result types allowed (`dyn` always passes: its
   * type is only known at run time). Returns null (and reports) when it does not compile or when
   * the scope is unknown because an entity type reference was already reported.
   */
  #expression(
    source: string | undefined,
    file: string,
    path: YamlPath,
    scope: { identity?: string; resource?: string },
    expected: readonly string[] | null,
    what: string,
  ): Expression | null {
    if (source === undefined) return null;
    const resolved: { identity?: EntityShape; resource?: EntityShape } = {};
    for (const variable of ['identity', 'resource'] as const) {
      const entityType = scope[variable];
      if (entityType === undefined) continue;
      const shape = this.#shapes.get(entityType);
      if (!shape) return null;
      resolved[variable] = shape;
    }
    const location = this.log.location(file, path);
    const result = compileExpression(source, location, resolved as ExpressionScope);
    if (!result.ok) {
      this.log.report('CONFIG_EXPRESSION', file, path, `${what}: ${result.message} (in \`${source}\`)`);
      return null;
    }
    if (expected && result.type !== 'dyn' && !expected.includes(result.type)) {
      this.log.report(
        'CONFIG_EXPRESSION_TYPE',
        file,
        path,
        `${what} must give ${expected.join(' or ')}, but \`${source}\` gives ${result.type}`,
      );
      return null;
    }
    return result.expression;
  }

  #condition(source: string | undefined, file: string, path: YamlPath, identity: string): Expression | null {
    return this.#expression(source, file, path, { identity }, ['bool'], 'a "when" condition');
  }

  #timeOffset(input: TimeOffsetInput | undefined, file: string, path: YamlPath): TimeOffset | null {
    if (!input) return null;
    const offset: TimeOffset = {
      reference: input.reference,
      startMinutes: input.startMinutes ?? 0,
      endMinutes: input.endMinutes ?? 0,
    };
    // Before/after measure both ends from the same date, so the period would be empty or reversed.
    if (offset.reference !== 'around' && offset.startMinutes > offset.endMinutes) {
      this.log.report(
        'CONFIG_INVALID',
        file,
        path,
        `time offset "${offset.reference}": startMinutes (${offset.startMinutes}) is after endMinutes (${offset.endMinutes}), the period would be empty`,
      );
    }
    return offset;
  }

  // ---------------------------------------------------------------- entity types

  readonly #compiledProperties = new Map<string, Record<string, Property>>();

  #entityTypes(): Record<string, EntityType> {
    const result: Record<string, EntityType> = {};
    for (const entry of this.sections.entityTypes.values()) {
      const properties: Record<string, Property> = {};
      for (const [name, raw] of Object.entries(entry.value.properties)) {
        if (typeof raw === 'string') properties[name] = { kind: 'scalar', name, type: raw };
        else if ('type' in raw) properties[name] = { kind: 'scalar', name, type: raw.type };
        else properties[name] = { kind: 'navigation', name, target: raw.target, multiValued: raw.multiValued ?? false };
      }
      this.#compiledProperties.set(entry.id, properties);
      result[entry.id] = {
        id: entry.id,
        displayName: entry.value.displayName ?? entry.id,
        key: entry.value.key,
        properties,
        context: { start: entry.value.context?.start ?? null, end: entry.value.context?.end ?? null },
      };
    }
    // References between entity types are checked once all are known.
    for (const entry of this.sections.entityTypes.values()) {
      const { file, path, value } = entry;
      this.#property(entry.id, value.key, 'scalar', file, [...path, 'key'], 'the key');
      for (const end of ['start', 'end'] as const) {
        const name = value.context?.[end];
        if (!name) continue;
        const property = this.#property(entry.id, name, 'scalar', file, [...path, 'context', end], `context ${end}`);
        if (property?.kind === 'scalar' && property.type !== 'date') {
          this.log.report(
            'CONFIG_WRONG_KIND',
            file,
            [...path, 'context', end],
            `context ${end} "${name}" must be a date property, not ${property.type}`,
          );
        }
      }
      for (const [name, raw] of Object.entries(value.properties)) {
        if (typeof raw === 'object' && 'target' in raw) {
          this.#known('entityTypes', raw.target, file, [...path, 'properties', name, 'target']);
        }
      }
    }
    return result;
  }

  // ---------------------------------------------------------------- connectors

  #connectors(): Record<string, Connector> {
    const result: Record<string, Connector> = {};
    const connectionOwners = new Map<string, Entry<unknown>>();
    for (const entry of this.sections.connectors.values()) {
      const { file, path, value } = entry;
      value.entityTypes.forEach((entityType, index) => {
        this.#known('entityTypes', entityType, file, [...path, 'entityTypes', index]);
      });
      const connections: Record<string, Connection> = {};
      for (const [connectionId, connection] of Object.entries(value.connections)) {
        const connectionPath = [...path, 'connections', connectionId];
        const owner = connectionOwners.get(connectionId);
        if (owner) {
          this.log.report(
            'CONFIG_DUPLICATE_ID',
            file,
            connectionPath,
            `connection "${connectionId}" is also defined in connector "${owner.id}": connection ids are unique across connectors`,
          );
        } else {
          connectionOwners.set(connectionId, entry);
        }
        const settings: Record<string, SettingValue> = {};
        for (const [name, raw] of Object.entries(connection.settings ?? {})) {
          const parsed = parseSettingValue(name, raw);
          if (parsed.ok) settings[name] = parsed.value;
          else this.log.report('CONFIG_LITERAL_SECRET', file, [...connectionPath, 'settings', name], parsed.message);
        }
        connections[connectionId] = {
          id: connectionId,
          kind: connection.kind,
          disabled: connection.disabled ?? 'none',
          settings,
        };
      }
      const sync = value.syncThresholds ?? {};
      result[entry.id] = {
        id: entry.id,
        displayName: value.displayName ?? entry.id,
        agent: value.agent ?? 'local',
        entityTypes: [...value.entityTypes],
        connections,
        syncThresholds: {
          maxInserted: sync.maxInserted ?? 0,
          maxUpdated: sync.maxUpdated ?? 0,
          maxDeleted: sync.maxDeleted ?? 0,
          maxInsertedPercent: sync.maxInsertedPercent ?? 30,
          maxUpdatedPercent: sync.maxUpdatedPercent ?? 30,
          maxDeletedPercent: sync.maxDeletedPercent ?? 30,
        },
      };
    }
    return result;
  }

  // ---------------------------------------------------------------- categories

  #categories(): Record<string, Category> {
    const result: Record<string, Category> = {};
    for (const { id, file, path, value } of this.sections.categories.values()) {
      const parent = value.parent ?? null;
      if (parent !== null) this.#known('categories', parent, file, [...path, 'parent']);
      result[id] = { id, displayName: value.displayName ?? id, parent };
    }
    for (const { id, file, path } of this.sections.categories.values()) {
      const cycle = findCycle(id, (current) => result[current]?.parent ?? null);
      if (cycle)
        this.log.report(
          'CONFIG_CYCLE',
          file,
          [...path, 'parent'],
          `category parents form a cycle: ${cycle.join(' → ')}`,
        );
    }
    return result;
  }

  #category(category: string | null | undefined, file: string, path: YamlPath): string | null {
    if (category === undefined || category === null) return null;
    this.#known('categories', category, file, [...path, 'category']);
    return category;
  }

  // ---------------------------------------------------------------- roles

  #roles(section: 'singleRoles' | 'compositeRoles'): Record<string, Role> {
    const result: Record<string, Role> = {};
    for (const { id, file, path, value } of this.sections[section].values()) {
      this.#known('entityTypes', value.entityType, file, [...path, 'entityType']);
      result[id] = {
        id,
        displayName: value.displayName ?? id,
        entityType: value.entityType,
        category: this.#category(value.category, file, path),
        approvalSteps: approvalSteps(value.approval),
        implicitApproval: value.implicitApproval ?? false,
        maxDurationMinutes: value.maxDurationMinutes ?? 0,
        gracePeriodMinutes: value.gracePeriodMinutes ?? 0,
      };
    }
    return result;
  }

  /** A role criterion must name a role of the owner's entity type. */
  #roleCriterion(
    section: 'singleRoles' | 'compositeRoles',
    roleId: string | undefined,
    ownerEntityType: string,
    file: string,
    path: YamlPath,
  ): string | null {
    if (roleId === undefined) return null;
    if (!this.#known(section, roleId, file, path)) return roleId;
    const role = this.sections[section].get(roleId);
    if (role && role.value.entityType !== ownerEntityType) {
      this.log.report(
        'CONFIG_WRONG_KIND',
        file,
        path,
        `${sectionLabel(section)} "${roleId}" is assigned to ${role.value.entityType}, not to ${ownerEntityType}`,
      );
    }
    return roleId;
  }

  #roleRules(): void {
    const rules = this.#rules;
    for (const { id: role, file, path, value } of this.sections.compositeRoles.values()) {
      (value.rules ?? []).forEach((rule, index) => {
        const rulePath = [...path, 'rules', index];
        rules.compositeRoles.push({
          id: this.#checkRuleId(rule.id, file, rulePath),
          location: this.log.location(file, rulePath),
          when: this.#condition(rule.when, file, [...rulePath, 'when'], value.entityType),
          role,
          type: (rule.type ?? 'required') as RuleType,
          denied: rule.denied ?? false,
        });
      });
    }
    for (const { id: role, file, path, value } of this.sections.singleRoles.values()) {
      (value.rules ?? []).forEach((rule, index) => {
        const rulePath = [...path, 'rules', index];
        rules.singleRoles.push({
          id: this.#checkRuleId(rule.id, file, rulePath),
          location: this.log.location(file, rulePath),
          when: this.#condition(rule.when, file, [...rulePath, 'when'], value.entityType),
          role,
          compositeRole: this.#roleCriterion('compositeRoles', rule.compositeRole, value.entityType, file, [
            ...rulePath,
            'compositeRole',
          ]),
          type: (rule.type ?? 'required') as RuleType,
          denied: rule.denied ?? false,
        });
      });
    }
  }

  // ---------------------------------------------------------------- resource types

  #resourceTypes(model: Model): void {
    const resourceTypes = model.resourceTypes as Record<string, ResourceType>;
    for (const entry of this.sections.resourceTypes.values()) {
      const { id, file, path, value } = entry;
      const connectorKnown = this.#known('connectors', value.connector, file, [...path, 'connector']);
      const sourceKnown = this.#known('entityTypes', value.source, file, [...path, 'source']);
      const targetKnown = this.#known('entityTypes', value.target, file, [...path, 'target']);
      const connector = this.sections.connectors.get(value.connector)?.value;
      if (connector && targetKnown && !connector.entityTypes.includes(value.target)) {
        this.log.report(
          'CONFIG_WRONG_KIND',
          file,
          [...path, 'target'],
          `connector "${value.connector}" does not manage entity type "${value.target}" (it manages: ${list(connector.entityTypes)})`,
        );
      }
      if (connectorKnown && connector && !(value.fulfil.connection in connector.connections)) {
        const owner = [...this.sections.connectors.values()].find(
          (c) => value.fulfil.connection in c.value.connections,
        );
        this.log.report(
          'CONFIG_UNKNOWN_REFERENCE',
          file,
          [...path, 'fulfil', 'connection'],
          owner
            ? `connection "${value.fulfil.connection}" belongs to connector "${owner.id}", not to "${value.connector}"`
            : `connector "${value.connector}" has no connection "${value.fulfil.connection}" (known: ${list(Object.keys(connector.connections))})`,
        );
      }
      const allowRemove = value.allowRemove ?? true;
      const removeOrphans = value.removeOrphans ?? false;
      if (removeOrphans && !allowRemove) {
        this.log.report(
          'CONFIG_CONFLICT',
          file,
          [...path, 'removeOrphans'],
          'removeOrphans: true needs allowRemove: true (orphans are removed by deleting them)',
        );
      }
      const dependsOn = value.dependsOn ?? null;
      if (dependsOn !== null) {
        if (dependsOn === id) {
          this.log.report(
            'CONFIG_CYCLE',
            file,
            [...path, 'dependsOn'],
            `resource type "${id}" cannot depend on itself`,
          );
        } else {
          this.#known('resourceTypes', dependsOn, file, [...path, 'dependsOn']);
        }
      }
      const dependsOnOwnerProperty = value.dependsOnOwnerProperty ?? null;
      if (dependsOnOwnerProperty !== null && sourceKnown) {
        this.#property(
          value.source,
          dependsOnOwnerProperty,
          'scalar',
          file,
          [...path, 'dependsOnOwnerProperty'],
          'dependsOnOwnerProperty',
        );
      }
      const thresholds = value.thresholds ?? {};
      resourceTypes[id] = {
        id,
        displayName: value.displayName ?? id,
        category: this.#category(value.category, file, path),
        connector: value.connector,
        sourceEntityType: value.source,
        targetEntityType: value.target,
        fulfil: { connection: value.fulfil.connection, noSynchronization: value.fulfil.noSynchronization ?? false },
        requireProvisioningReview: value.requireProvisioningReview ?? false,
        approvalSteps: approvalSteps(value.approval),
        implicitApproval: value.implicitApproval ?? false,
        allowAdd: value.allowAdd ?? true,
        allowRemove,
        removeOrphans,
        discardManualAssignments: value.discardManualAssignments ?? false,
        correlateMultipleResources: value.correlateMultipleResources ?? false,
        suggestAllCorrelations: value.suggestAllCorrelations ?? false,
        dependsOn,
        dependsOnOwnerProperty,
        fulfilHoursAhead: value.fulfilHoursAhead ?? 0,
        watchdogMinutes: value.watchdogMinutes ?? 0,
        thresholds: {
          maxInsert: thresholds.maxInsert ?? 0,
          maxUpdate: thresholds.maxUpdate ?? 0,
          maxDelete: thresholds.maxDelete ?? 0,
          maxInsertPercent: thresholds.maxInsertPercent ?? 30,
          maxUpdatePercent: thresholds.maxUpdatePercent ?? 30,
          maxDeletePercent: thresholds.maxDeletePercent ?? 30,
        },
        location: this.log.location(file, path),
      };
      this.#resourceTypeRules(entry);
    }
    for (const { id, file, path } of this.sections.resourceTypes.values()) {
      const cycle = findCycle(id, (current) => resourceTypes[current]?.dependsOn ?? null);
      if (cycle && cycle.length > 2) {
        this.log.report(
          'CONFIG_CYCLE',
          file,
          [...path, 'dependsOn'],
          `resource type dependencies form a cycle: ${cycle.join(' → ')}`,
        );
      }
    }
  }

  #resourceTypeRules(entry: Entry<ResourceTypeInput>): void {
    const { id: resourceType, file, path, value } = entry;
    const rules = this.#rules;
    const source = value.source;
    const target = value.target;

    (value.types ?? []).forEach((rule, index) => {
      const rulePath = [...path, 'types', index];
      rules.types.push({
        id: this.#checkRuleId(rule.id, file, rulePath),
        location: this.log.location(file, rulePath),
        when: this.#condition(rule.when, file, [...rulePath, 'when'], source),
        resourceType,
        singleRole: this.#roleCriterion('singleRoles', rule.role, source, file, [...rulePath, 'role']),
        type: (rule.type ?? 'required') as RuleType,
        denied: rule.denied ?? false,
      });
    });

    // Only one role-less scalar rule per property and period (reference spec §5.3 priority).
    const unconditional = new Map<string, YamlPath>();
    (value.scalars ?? []).forEach((rule, index) => {
      const rulePath = [...path, 'scalars', index];
      const property = this.#property(
        target,
        rule.property,
        'scalar',
        file,
        [...rulePath, 'property'],
        'a scalar rule',
      );
      const expected = property?.kind === 'scalar' ? scalarResultTypes(property.type) : null;
      const expression = this.#expression(
        rule.expression,
        file,
        [...rulePath, 'expression'],
        { identity: source },
        expected,
        `the value of "${rule.property}"`,
      );
      const timeOffset = this.#timeOffset(rule.timeOffset, file, [...rulePath, 'timeOffset']);
      if (rule.role === undefined) {
        const key = `${rule.property}\u0000${timeOffset?.reference ?? 'default'}`;
        const first = unconditional.get(key);
        if (first) {
          this.log.report(
            'CONFIG_CONFLICT',
            file,
            rulePath,
            `property "${rule.property}" already has a rule without role criterion for the same period (${formatYamlPath(first)}, line ${this.log.location(file, first).line}): only one rule per property per period; add a role criterion or a different time offset`,
          );
        } else {
          unconditional.set(key, rulePath);
        }
      }
      if (!expression) return;
      rules.scalars.push({
        id: this.#checkRuleId(rule.id, file, rulePath),
        location: this.log.location(file, rulePath),
        when: this.#condition(rule.when, file, [...rulePath, 'when'], source),
        resourceType,
        property: rule.property,
        expression,
        singleRole: this.#roleCriterion('singleRoles', rule.role, source, file, [...rulePath, 'role']),
        mapped: rule.mapped ?? true,
        comparison: rule.comparison ?? 'case_sensitive',
        timeOffset,
      });
    });

    const navigated = new Set<string>();
    (value.navigations ?? []).forEach((rule, index) => {
      const rulePath = [...path, 'navigations', index];
      this.#property(target, rule.property, 'navigation', file, [...rulePath, 'property'], 'a navigation rule');
      navigated.add(rule.property);
      rules.navigations.push({
        id: this.#checkRuleId(rule.id, file, rulePath),
        location: this.log.location(file, rulePath),
        when: this.#condition(rule.when, file, [...rulePath, 'when'], source),
        resourceType,
        property: rule.property,
        value: rule.value,
        singleRole: this.#roleCriterion('singleRoles', rule.role, source, file, [...rulePath, 'role']),
        denied: rule.denied ?? false,
        timeOffset: this.#timeOffset(rule.timeOffset, file, [...rulePath, 'timeOffset']),
      });
    });

    (value.queries ?? []).forEach((rule, index) => {
      const rulePath = [...path, 'queries', index];
      const property = this.#property(
        target,
        rule.property,
        'navigation',
        file,
        [...rulePath, 'property'],
        'a query rule',
      );
      if (navigated.has(rule.property)) {
        this.log.report(
          'CONFIG_CONFLICT',
          file,
          [...rulePath, 'property'],
          `"${rule.property}" is computed by navigation rules of "${resourceType}": a navigation property is computed by navigation rules or query rules, never both`,
        );
      }
      const candidates = property?.kind === 'navigation' ? property.target : undefined;
      const sourceExpression = this.#expression(
        rule.source,
        file,
        [...rulePath, 'source'],
        { identity: source },
        null,
        'a query source',
      );
      const targetExpression = candidates
        ? this.#expression(rule.target, file, [...rulePath, 'target'], { resource: candidates }, null, 'a query target')
        : null;
      const when = this.#condition(rule.when, file, [...rulePath, 'when'], source);
      const id = this.#checkRuleId(rule.id, file, rulePath);
      if (!sourceExpression || !targetExpression) return;
      rules.queries.push({
        id,
        location: this.log.location(file, rulePath),
        when,
        resourceType,
        property: rule.property,
        source: sourceExpression,
        target: targetExpression,
        confidence: rule.confidence,
      });
    });

    (value.correlations ?? []).forEach((rule, index) => {
      const rulePath = [...path, 'correlations', index];
      const id = this.#checkRuleId(rule.id, file, rulePath);
      const sourceExpression = this.#expression(
        rule.source,
        file,
        [...rulePath, 'source'],
        { identity: source },
        null,
        'a correlation source',
      );
      const targetExpression = this.#expression(
        rule.target,
        file,
        [...rulePath, 'target'],
        { resource: target },
        null,
        'a correlation target',
      );
      if (!sourceExpression || !targetExpression) return;
      rules.correlations.push({
        id,
        location: this.log.location(file, rulePath),
        resourceType,
        source: sourceExpression,
        target: targetExpression,
        confidence: rule.confidence,
      });
    });

    (value.classifications ?? []).forEach((rule, index) => {
      const rulePath = [...path, 'classifications', index];
      const id = this.#checkRuleId(rule.id, file, rulePath);
      const when = this.#expression(
        rule.when,
        file,
        [...rulePath, 'when'],
        { resource: target },
        ['bool'],
        'a classification condition',
      );
      if (!when) return;
      rules.classifications.push({
        id,
        location: this.log.location(file, rulePath),
        resourceType,
        when,
        confidence: rule.confidence,
      });
    });
  }

  // ---------------------------------------------------------------- profiles

  #profiles(): Record<string, Profile> {
    const result: Record<string, Profile> = {};
    for (const { id, value } of this.sections.profiles.values()) {
      const scope: Profile['scope'] =
        value.scope === 'managed'
          ? { kind: 'managed', managerProperty: value.managerProperty ?? 'manager' }
          : { kind: value.scope ?? 'all' };
      result[id] = { id, displayName: value.displayName ?? id, permissions: [...value.permissions], scope };
    }
    return result;
  }
}

/** CEL result types a scalar property accepts (dates are ISO strings). */
function scalarResultTypes(type: 'string' | 'int' | 'bool' | 'date'): readonly string[] {
  switch (type) {
    case 'string':
    case 'date':
      return ['string'];
    case 'int':
      return ['int'];
    case 'bool':
      return ['bool'];
  }
}
