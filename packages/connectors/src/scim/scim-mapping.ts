import type { ScalarValue } from '@ordo/core';
import { ConnectorError } from '../connector-error.ts';
import type { ScimCallSite } from './scim-error.ts';
import { attributePathText, newElement, readScimPath, selectElement, writeScimPath } from './scim-path.ts';
import type { ScimResource } from './scim-resource.ts';
import type { ScimEntityTypeSettings } from './scim-settings.ts';

const coreSchema = {
  User: 'urn:ietf:params:scim:schemas:core:2.0:User',
  Group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
} as const;

/** One operation of a PatchOp request (RFC 7644 §3.5.2). */
export interface ScimPatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

/** The body of a PATCH request carrying these operations. */
export function patchRequest(operations: readonly ScimPatchOperation[]): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: operations };
}

/**
 * Refuses values for properties the entity type does not map, before anything is written: a
 * value Ordo cannot place would otherwise be dropped silently.
 */
export function checkValues(
  connectionId: string,
  type: ScimEntityTypeSettings,
  values: Readonly<Record<string, ScalarValue>>,
): void {
  for (const property of Object.keys(values)) {
    if (!type.properties[property]) {
      throw new ConnectorError(
        `SCIM connection ${connectionId}: ${type.entityType} has no scalar property "${property}"`,
        {
          kind: 'schema',
          applied: 'no',
        },
      );
    }
  }
}

/** The Ordo values of a resource for these properties (unknown names are skipped). */
export function valuesOf(
  resource: ScimResource,
  type: ScimEntityTypeSettings,
  properties: readonly string[],
  site: ScimCallSite,
): Record<string, ScalarValue> {
  const values: Record<string, ScalarValue> = {};
  for (const property of properties) {
    const mapping = type.properties[property];
    if (!mapping) continue;
    const value = readScimPath(resource.json, mapping.path);
    if (typeof value === 'object' && value !== null) {
      throw new ConnectorError(
        `SCIM connection ${site.connectionId}: ${site.method} ${site.endpoint}: property "${property}" maps to ` +
          `"${mapping.path.text}", which holds a complex value in ${type.resource} ${resource.id}, not a scalar`,
        { kind: 'schema', applied: 'no' },
      );
    }
    values[property] = value;
  }
  return values;
}

/** The body of a POST creating the resource `key` with these values (nulls are left out). */
export function creationBody(
  type: ScimEntityTypeSettings,
  key: string,
  values: Readonly<Record<string, ScalarValue>>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [coreSchema[type.resource]] };
  for (const [property, value] of Object.entries(values)) {
    const mapping = type.properties[property];
    if (!mapping || value === null || property === type.keyProperty) continue;
    writeScimPath(body, mapping.path, value, mapping.template);
  }
  body[type.keyAttribute] = key;
  return body;
}

/**
 * The operations that bring a resource to the desired values, for the differing ones only: a
 * replace per changed value, a remove per cleared one, and an add of a new element where a
 * filtered path (`emails[type eq "work"].value`) selects nothing yet.
 */
export function patchOperations(
  type: ScimEntityTypeSettings,
  resource: ScimResource,
  desired: Readonly<Record<string, ScalarValue>>,
): ScimPatchOperation[] {
  const operations: ScimPatchOperation[] = [];
  for (const [property, wanted] of Object.entries(desired)) {
    const mapping = type.properties[property];
    if (!mapping) continue;
    const path = mapping.path;
    const current = readScimPath(resource.json, path);
    if (sameValue(current, wanted, { ignoreCase: path.attribute.toLowerCase() === 'emails' })) continue;
    if (wanted === null) {
      operations.push({ op: 'remove', path: path.text });
    } else if (path.filter.length > 0 && !selectElement(listAt(resource, path), path)) {
      operations.push({
        op: 'add',
        path: attributePathText(path),
        value: [newElement(path, wanted, mapping.template)],
      });
    } else {
      operations.push({ op: 'replace', path: path.text, value: wanted });
    }
  }
  return operations;
}

function listAt(resource: ScimResource, path: Parameters<typeof selectElement>[1]): unknown {
  const holder = path.schema === null ? resource.json : resource.json[path.schema];
  if (typeof holder !== 'object' || holder === null) return undefined;
  const record = holder as Record<string, unknown>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === path.attribute.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/**
 * Equal as far as Ordo can tell: the same scalar, or the same text (a number sent as a string).
 * Email addresses are compared without case (RFC 7643 makes emails.value caseExact false, and
 * providers lowercase them): patching a case-only difference would never converge.
 */
export function sameValue(
  current: ScalarValue | { readonly notScalar: true },
  wanted: ScalarValue,
  options: { ignoreCase?: boolean } = {},
): boolean {
  if (typeof current === 'object' && current !== null) return false;
  if (current === wanted) return true;
  if (current === null || wanted === null) return false;
  return options.ignoreCase
    ? String(current).toLowerCase() === String(wanted).toLowerCase()
    : String(current) === String(wanted);
}
