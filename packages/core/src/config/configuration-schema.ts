import { z } from 'zod';

/*
 * The shape of one configuration file. Every section is optional and keyed by id, so a folder can
 * be split into files freely. The schemas carry no transforms: defaults are applied by the
 * compiler, which keeps the JSON Schema exact for editors.
 */

const identifier = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an id starts with a letter and has only letters, digits, "_", "." and "-"');
const reference = z.string().min(1);
const cel = z.string().min(1).describe('CEL expression');
const minutes = z.number().int();
const nonNegativeInt = z.number().int().min(0);
const percent = z.number().min(0).max(100);
const confidence = z.number().int().min(0).max(150).describe('0–150; 100 and above is applied automatically');

export const scalarTypeSchema = z.enum(['string', 'int', 'bool', 'date']);

const propertySchema = z.union(
  [
    scalarTypeSchema.describe('scalar property of this type'),
    z.strictObject({ type: scalarTypeSchema, description: z.string().optional() }),
    z.strictObject({
      target: reference.describe('entity type of the linked resources'),
      multiValued: z.boolean().optional().describe('default false'),
      description: z.string().optional(),
    }),
  ],
  {
    error:
      'a property is a scalar type (string, int, bool, date), { type: <scalar type> } or { target: <entity type>, multiValued: true|false }',
  },
);

export const entityTypeSchema = z.strictObject({
  displayName: z.string().optional(),
  key: reference.describe('scalar property identifying a resource in its system'),
  properties: z.record(identifier, propertySchema),
  context: z
    .strictObject({ start: reference.nullable().optional(), end: reference.nullable().optional() })
    .optional()
    .describe('identity validity period: the date properties that date automatic assignments'),
});

const settingValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .describe('a literal, or a secret reference written env:NAME or file:PATH');

export const connectionSchema = z.strictObject({
  kind: z.enum(['ldap', 'sql', 'scim', 'csv', 'manual', 'memory']),
  disabled: z.enum(['none', 'export', 'fulfil']).optional().describe('default none'),
  settings: z.record(z.string(), settingValue).optional(),
});

export const connectorSchema = z.strictObject({
  displayName: z.string().optional(),
  agent: z.string().min(1).optional().describe('default "local" (the agent embedded in the server)'),
  entityTypes: z.array(reference),
  connections: z.record(identifier, connectionSchema),
  syncThresholds: z
    .strictObject({
      maxInserted: nonNegativeInt.optional(),
      maxUpdated: nonNegativeInt.optional(),
      maxDeleted: nonNegativeInt.optional(),
      maxInsertedPercent: percent.optional(),
      maxUpdatedPercent: percent.optional(),
      maxDeletedPercent: percent.optional(),
    })
    .optional(),
});

export const categorySchema = z.strictObject({
  displayName: z.string().optional(),
  parent: reference.nullable().optional(),
});

const approval = z
  .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal('not_requestable')], {
    error: 'approval is 0, 1, 2 or 3 steps, or not_requestable',
  })
  .describe('approval steps for a manual request (0–3), or not_requestable');
const ruleType = z.enum(['required', 'automatic_with_validation', 'suggested']).describe('default required');
const ruleId = identifier.optional().describe('stable rule id; default <file>#<yaml path>');

export const timeOffsetSchema = z
  .strictObject({
    reference: z.enum(['around', 'before', 'after']),
    startMinutes: minutes.optional().describe('default 0; negative = earlier'),
    endMinutes: minutes.optional().describe('default 0; negative = earlier'),
  })
  .describe('period relative to the owner context (reference spec §5.3 time offsets)');

const typeRuleSchema = z.strictObject({
  id: ruleId,
  role: reference.optional().describe('single role criterion'),
  when: cel.optional(),
  type: ruleType.optional(),
  denied: z.boolean().optional(),
});

const scalarRuleSchema = z.strictObject({
  id: ruleId,
  property: reference,
  expression: cel,
  role: reference.optional(),
  when: cel.optional(),
  mapped: z.boolean().optional().describe('default true; false = create only'),
  comparison: z.enum(['case_sensitive', 'ignore_case', 'ignore_diacritics', 'simplified', 'approximate']).optional(),
  timeOffset: timeOffsetSchema.optional(),
});

const navigationRuleSchema = z.strictObject({
  id: ruleId,
  property: reference,
  value: z.string().min(1).describe('key of the linked resource, e.g. a group DN'),
  role: reference.optional(),
  when: cel.optional(),
  denied: z.boolean().optional(),
  timeOffset: timeOffsetSchema.optional(),
});

const queryRuleSchema = z.strictObject({
  id: ruleId,
  property: reference,
  source: cel.describe('evaluated on the owner (identity)'),
  target: cel.describe('evaluated on each candidate (resource)'),
  confidence,
  when: cel.optional(),
});

const correlationRuleSchema = z.strictObject({
  id: ruleId,
  source: cel.describe('key computed on the owner (identity)'),
  target: cel.describe('key computed on the target resource (resource)'),
  confidence,
});

const classificationRuleSchema = z.strictObject({
  id: ruleId,
  when: cel.describe('predicate over the target resource (resource)'),
  confidence,
});

export const resourceTypeSchema = z.strictObject({
  displayName: z.string().optional(),
  category: reference.nullable().optional(),
  connector: reference,
  source: reference.describe('owner entity type, e.g. Person'),
  target: reference.describe('owned entity type, e.g. LdapAccount'),
  fulfil: z.strictObject({
    connection: reference,
    noSynchronization: z.boolean().optional().describe('manual tickets for a system never synchronized'),
  }),
  requireProvisioningReview: z.boolean().optional(),
  approval: approval.optional(),
  implicitApproval: z.boolean().optional(),
  allowAdd: z.boolean().optional(),
  allowRemove: z.boolean().optional(),
  removeOrphans: z.boolean().optional(),
  discardManualAssignments: z.boolean().optional(),
  correlateMultipleResources: z.boolean().optional(),
  suggestAllCorrelations: z.boolean().optional(),
  dependsOn: reference.nullable().optional(),
  dependsOnOwnerProperty: reference.nullable().optional(),
  fulfilHoursAhead: z.number().min(0).optional(),
  watchdogMinutes: nonNegativeInt.optional(),
  thresholds: z
    .strictObject({
      maxInsert: nonNegativeInt.optional(),
      maxUpdate: nonNegativeInt.optional(),
      maxDelete: nonNegativeInt.optional(),
      maxInsertPercent: percent.optional(),
      maxUpdatePercent: percent.optional(),
      maxDeletePercent: percent.optional(),
    })
    .optional(),
  types: z.array(typeRuleSchema).optional(),
  scalars: z.array(scalarRuleSchema).optional(),
  navigations: z.array(navigationRuleSchema).optional(),
  queries: z.array(queryRuleSchema).optional(),
  correlations: z.array(correlationRuleSchema).optional(),
  classifications: z.array(classificationRuleSchema).optional(),
});

const roleFields = {
  displayName: z.string().optional(),
  entityType: reference,
  category: reference.nullable().optional(),
  approval: approval.optional(),
  implicitApproval: z.boolean().optional(),
  maxDurationMinutes: nonNegativeInt.optional(),
  gracePeriodMinutes: nonNegativeInt.optional(),
};

const roleRuleFields = {
  id: ruleId,
  when: cel.optional(),
  type: ruleType.optional(),
  denied: z.boolean().optional(),
};

export const singleRoleSchema = z.strictObject({
  ...roleFields,
  rules: z
    .array(z.strictObject({ ...roleRuleFields, compositeRole: reference.optional().describe('criterion') }))
    .optional(),
});

export const compositeRoleSchema = z.strictObject({
  ...roleFields,
  rules: z.array(z.strictObject(roleRuleFields)).optional(),
});

export const profileSchema = z.strictObject({
  displayName: z.string().optional(),
  permissions: z.array(z.string().regex(/^\/\S+$/, 'a permission path starts with "/" and has no spaces')),
  scope: z
    .enum(['all', 'self', 'managed'])
    .optional()
    .describe('whose identities the permissions reach: all (default), self, or managed (self and their reports)'),
  managerProperty: reference
    .optional()
    .describe('with scope managed: the navigation of the identity pointing at its manager (default manager)'),
});

/** One schema per top-level section; each section maps ids to items. */
export const sectionSchemas = {
  entityTypes: entityTypeSchema,
  connectors: connectorSchema,
  categories: categorySchema,
  resourceTypes: resourceTypeSchema,
  singleRoles: singleRoleSchema,
  compositeRoles: compositeRoleSchema,
  profiles: profileSchema,
} as const;

export type SectionName = keyof typeof sectionSchemas;
export const SECTION_NAMES = Object.keys(sectionSchemas) as SectionName[];

export type EntityTypeInput = z.infer<typeof entityTypeSchema>;
export type ConnectorInput = z.infer<typeof connectorSchema>;
export type CategoryInput = z.infer<typeof categorySchema>;
export type ResourceTypeInput = z.infer<typeof resourceTypeSchema>;
export type SingleRoleInput = z.infer<typeof singleRoleSchema>;
export type CompositeRoleInput = z.infer<typeof compositeRoleSchema>;
export type ProfileInput = z.infer<typeof profileSchema>;
export type TimeOffsetInput = z.infer<typeof timeOffsetSchema>;

/** A whole configuration file. */
export const configurationFileSchema = z
  .strictObject(
    Object.fromEntries(SECTION_NAMES.map((name) => [name, z.record(identifier, sectionSchemas[name]).optional()])) as {
      [K in SectionName]: z.ZodOptional<z.ZodRecord<typeof identifier, (typeof sectionSchemas)[K]>>;
    },
  )
  .describe('An Ordo configuration file; a folder of such files is merged.');

/** JSON Schema (draft 2020-12) of a configuration file, for editor completion and validation. */
export function configurationJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configurationFileSchema, { target: 'draft-2020-12' }),
    $id: 'https://ordo.dev/schemas/configuration.json',
    title: 'Ordo configuration file',
  };
}
