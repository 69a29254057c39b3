import type { Expression, SourceLocation } from './expression.ts';

/**
 * The compiled role model and connectivity configuration: what `ordo config check` produces from a
 * folder of YAML files. Every object is frozen; ids are the identifiers written in the YAML.
 * The engine reads only this, never the YAML.
 */
export interface Model {
  readonly entityTypes: Readonly<Record<string, EntityType>>;
  readonly connectors: Readonly<Record<string, Connector>>;
  readonly resourceTypes: Readonly<Record<string, ResourceType>>;
  readonly categories: Readonly<Record<string, Category>>;
  readonly singleRoles: Readonly<Record<string, Role>>;
  readonly compositeRoles: Readonly<Record<string, Role>>;
  readonly rules: Rules;
  readonly profiles: Readonly<Record<string, Profile>>;
}

export type ScalarType = 'string' | 'int' | 'bool' | 'date';

export interface ScalarProperty {
  readonly kind: 'scalar';
  readonly name: string;
  readonly type: ScalarType;
}

export interface NavigationProperty {
  readonly kind: 'navigation';
  readonly name: string;
  /** Entity type of the linked resources. */
  readonly target: string;
  readonly multiValued: boolean;
}

export type Property = ScalarProperty | NavigationProperty;

export interface EntityType {
  readonly id: string;
  readonly displayName: string;
  /** Scalar property whose value identifies a resource in its system (employeeId, dn, id). */
  readonly key: string;
  readonly properties: Readonly<Record<string, Property>>;
  /**
   * For source entity types (identities): the scalar properties giving the validity period of
   * the identity's context (contract start and end), which dates automatic assignments.
   */
  readonly context: { readonly start: string | null; readonly end: string | null };
}

/** A secret is never stored in configuration, only a reference the agent resolves. */
export type SecretReference = { readonly env: string } | { readonly file: string };
export type SettingValue = string | number | boolean | SecretReference | null;

export type ConnectionKind = 'ldap' | 'sql' | 'scim' | 'csv' | 'manual' | 'memory';

export interface Connection {
  readonly id: string;
  readonly kind: ConnectionKind;
  /** `export`: this connection only fulfils; `fulfil`: it only exports; `none`: both. */
  readonly disabled: 'none' | 'export' | 'fulfil';
  readonly settings: Readonly<Record<string, SettingValue>>;
}

export interface SyncThresholds {
  readonly maxInserted: number;
  readonly maxUpdated: number;
  readonly maxDeleted: number;
  readonly maxInsertedPercent: number;
  readonly maxUpdatedPercent: number;
  readonly maxDeletedPercent: number;
}

export interface Connector {
  readonly id: string;
  readonly displayName: string;
  readonly agent: string;
  readonly entityTypes: readonly string[];
  readonly connections: Readonly<Record<string, Connection>>;
  readonly syncThresholds: SyncThresholds;
}

/** 0 = off for every limit. Absolute and percentage limits both apply; the lower wins. */
export interface OrderThresholds {
  readonly maxInsert: number;
  readonly maxUpdate: number;
  readonly maxDelete: number;
  readonly maxInsertPercent: number;
  readonly maxUpdatePercent: number;
  readonly maxDeletePercent: number;
}

/** Approval steps for a manual request, or `null` when the item cannot be requested at all. */
export type ApprovalSteps = 0 | 1 | 2 | 3 | null;

export interface ResourceType {
  readonly id: string;
  readonly displayName: string;
  readonly category: string | null;
  readonly connector: string;
  readonly sourceEntityType: string;
  readonly targetEntityType: string;
  readonly fulfil: {
    readonly connection: string;
    /** Manual tickets for a system never synchronized: a confirmed ticket is Verified at once. */
    readonly noSynchronization: boolean;
  };
  readonly requireProvisioningReview: boolean;
  readonly approvalSteps: ApprovalSteps;
  readonly implicitApproval: boolean;
  readonly allowAdd: boolean;
  readonly allowRemove: boolean;
  readonly removeOrphans: boolean;
  readonly discardManualAssignments: boolean;
  readonly correlateMultipleResources: boolean;
  readonly suggestAllCorrelations: boolean;
  readonly dependsOn: string | null;
  readonly dependsOnOwnerProperty: string | null;
  readonly fulfilHoursAhead: number;
  readonly watchdogMinutes: number;
  readonly thresholds: OrderThresholds;
  readonly location: SourceLocation;
}

export interface Category {
  readonly id: string;
  readonly displayName: string;
  readonly parent: string | null;
}

export interface Role {
  readonly id: string;
  readonly displayName: string;
  readonly entityType: string;
  readonly category: string | null;
  readonly approvalSteps: ApprovalSteps;
  readonly implicitApproval: boolean;
  /** Manual assignments of this role end after this long (0 = no limit). */
  readonly maxDurationMinutes: number;
  /** A lost automatic assignment is kept this long as Prolonged (0 = removed at once). */
  readonly gracePeriodMinutes: number;
}

/** Usercube's rule types: Required ("Automatic"), RequestedAutomatically, Suggested. */
export type RuleType = 'required' | 'automatic_with_validation' | 'suggested';

/** Periods relative to the owner's context (reference spec §5.3 "Time offsets"). */
export interface TimeOffset {
  readonly reference: 'around' | 'before' | 'after';
  /** Minutes added to the reference date that starts the period (negative = earlier). */
  readonly startMinutes: number;
  /** Minutes added to the reference date that ends the period. */
  readonly endMinutes: number;
}

export type ComparisonType = 'case_sensitive' | 'ignore_case' | 'ignore_diacritics' | 'simplified' | 'approximate';

interface RuleBase {
  /** Stable id: the YAML `id`, or `<file>#<path>` when none was given. */
  readonly id: string;
  readonly location: SourceLocation;
  /** CEL condition over `identity`; null = always. */
  readonly when: Expression | null;
}

export interface CompositeRoleRule extends RuleBase {
  readonly role: string;
  readonly type: RuleType;
  readonly denied: boolean;
}

export interface SingleRoleRule extends RuleBase {
  readonly role: string;
  /** Criterion: the owner holds this composite role. */
  readonly compositeRole: string | null;
  readonly type: RuleType;
  readonly denied: boolean;
}

export interface TypeRule extends RuleBase {
  readonly resourceType: string;
  readonly singleRole: string | null;
  readonly type: RuleType;
  readonly denied: boolean;
}

export interface ScalarRule extends RuleBase {
  readonly resourceType: string;
  readonly property: string;
  readonly expression: Expression;
  readonly singleRole: string | null;
  /** false = "create only": written on creation, never read back, never non-conforming. */
  readonly mapped: boolean;
  readonly comparison: ComparisonType;
  readonly timeOffset: TimeOffset | null;
}

export interface NavigationRule extends RuleBase {
  readonly resourceType: string;
  readonly property: string;
  /** Key of the linked resource (e.g. a group's DN), in the property's target entity type. */
  readonly value: string;
  readonly singleRole: string | null;
  readonly denied: boolean;
  readonly timeOffset: TimeOffset | null;
}

export interface QueryRule extends RuleBase {
  readonly resourceType: string;
  readonly property: string;
  /** Evaluated on the owner (`identity`). */
  readonly source: Expression;
  /** Evaluated on each candidate (`resource`) of the property's target entity type. */
  readonly target: Expression;
  /** 0–150; ≥ 100 is applied automatically, below waits for a person. */
  readonly confidence: number;
}

export interface CorrelationRule {
  readonly id: string;
  readonly location: SourceLocation;
  readonly resourceType: string;
  /** Key computed on the owner (`identity`). */
  readonly source: Expression;
  /** Key computed on the target resource (`resource`). */
  readonly target: Expression;
  readonly confidence: number;
}

export interface ClassificationRule {
  readonly id: string;
  readonly location: SourceLocation;
  readonly resourceType: string;
  /** Predicate over the target (`resource`). */
  readonly when: Expression;
  readonly confidence: number;
}

export interface Rules {
  readonly compositeRoles: readonly CompositeRoleRule[];
  readonly singleRoles: readonly SingleRoleRule[];
  readonly types: readonly TypeRule[];
  readonly scalars: readonly ScalarRule[];
  readonly navigations: readonly NavigationRule[];
  readonly queries: readonly QueryRule[];
  readonly correlations: readonly CorrelationRule[];
  readonly classifications: readonly ClassificationRule[];
}

export interface Profile {
  readonly id: string;
  readonly displayName: string;
  /** Usercube-style permission paths, e.g. `/Custom/ProvisioningPolicy/ReviewProvisioning/Person`. */
  readonly permissions: readonly string[];
  /** Whose identities the profile's permissions reach (Usercube's responsibility scope). */
  readonly scope: ProfileScope;
}

/**
 * `all`: every identity; `self`: the holder's own identity; `managed`: their own and those whose
 * `managerProperty` (a navigation of the identity entity type) points at the holder's identity.
 */
export type ProfileScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'self' }
  | { readonly kind: 'managed'; readonly managerProperty: string };
