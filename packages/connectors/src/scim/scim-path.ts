import type { ScalarValue } from '@ordo/core';

/** The core schema URNs: a path prefixed with one of them is a core attribute. */
const coreSchemas = ['urn:ietf:params:scim:schemas:core:2.0:user', 'urn:ietf:params:scim:schemas:core:2.0:group'];

/** One `sub eq value` term of a value filter (`emails[type eq "work"]`). */
export interface ScimFilterTerm {
  readonly attribute: string;
  readonly value: string | number | boolean;
}

/**
 * An attribute path of RFC 7644 §3.10 limited to what maps to one scalar:
 * `[schemaUrn:]attribute[\[filter\]][.subAttribute]`, where the filter is `sub eq value` terms
 * joined by `and`. Examples: `userName`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`.
 */
export interface ScimPath {
  /** The path as written, sent as the PATCH `path`. */
  readonly text: string;
  /** Extension schema URN holding the attribute, or null for the core schema. */
  readonly schema: string | null;
  readonly attribute: string;
  /** Terms selecting one value of a multi-valued attribute; empty when none. */
  readonly filter: readonly ScimFilterTerm[];
  readonly subAttribute: string | null;
}

const name = '[A-Za-z$][\\w$-]*';
const pathPattern = new RegExp(`^(${name})(?:\\[(.+)\\])?(?:\\.(${name}))?$`);
const termPattern = /^\s*([A-Za-z$][\w$-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false|-?\d+(?:\.\d+)?)\s*$/i;

/** Parses a path; returns an error text (for a configuration error) when it is not supported. */
export function parseScimPath(text: string): ScimPath | string {
  const trimmed = text.trim();
  let schema: string | null = null;
  let rest = trimmed;
  if (/^urn:/i.test(trimmed)) {
    // The attribute follows the URN's last colon; a filter may itself hold colons, so look before it.
    const bracket = trimmed.indexOf('[');
    const head = bracket === -1 ? trimmed : trimmed.slice(0, bracket);
    const colon = head.lastIndexOf(':');
    schema = trimmed.slice(0, colon);
    rest = trimmed.slice(colon + 1);
    if (coreSchemas.includes(schema.toLowerCase())) schema = null;
  }
  const match = pathPattern.exec(rest);
  if (!match) return `"${text}" is not a SCIM attribute path (attribute, attribute.sub or attribute[filter].sub)`;
  const filter: ScimFilterTerm[] = [];
  if (match[2] !== undefined) {
    for (const part of splitConjunction(match[2])) {
      const term = termPattern.exec(part);
      if (!term?.[1] || !term[2]) return `"${text}": only "sub eq value" filters joined by "and" are supported`;
      filter.push({ attribute: term[1], value: JSON.parse(term[2]) as string | number | boolean });
    }
  }
  return { text: trimmed, schema, attribute: match[1] ?? '', filter, subAttribute: match[3] ?? null };
}

/** Splits `a eq "x" and b eq true` on the `and`s outside quoted strings. */
function splitConjunction(filter: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < filter.length; i += 1) {
    const c = filter[i];
    if (quoted) {
      if (c === '\\') i += 1;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (/\s/.test(c ?? '') && /^\s+and\s/i.test(filter.slice(i))) {
      parts.push(filter.slice(start, i));
      i += /^\s+and\s+/i.exec(filter.slice(i))?.[0].length ?? 0;
      start = i;
      i -= 1;
    }
  }
  parts.push(filter.slice(start));
  return parts;
}

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Attribute names are case-insensitive in SCIM (RFC 7643 §2.1). */
function getAttribute(object: JsonObject, attribute: string): Json {
  if (attribute in object) return object[attribute];
  const lower = attribute.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function container(resource: JsonObject, path: ScimPath): JsonObject | undefined {
  if (path.schema === null) return resource;
  const extension = getAttribute(resource, path.schema);
  return isObject(extension) ? extension : undefined;
}

function termMatches(element: Json, term: ScimFilterTerm): boolean {
  if (!isObject(element)) return false;
  const actual = getAttribute(element, term.attribute);
  // String comparison is case-insensitive for the attributes filters select on (type, value...).
  if (typeof actual === 'string' && typeof term.value === 'string') {
    return actual.toLowerCase() === term.value.toLowerCase();
  }
  return actual === term.value;
}

/** The element of a multi-valued attribute the path's filter selects (the first match). */
export function selectElement(values: Json, path: ScimPath): JsonObject | undefined {
  if (!Array.isArray(values)) return undefined;
  if (path.filter.length === 0) {
    // No filter on a multi-valued attribute: the primary value, as a single-valued reader expects.
    const primary = values.find((v) => isObject(v) && getAttribute(v, 'primary') === true);
    const chosen = primary ?? values[0];
    return isObject(chosen) ? chosen : undefined;
  }
  const found = values.find((v) => path.filter.every((term) => termMatches(v, term)));
  return isObject(found) ? found : undefined;
}

/** What a path holds in a resource: a scalar, null when absent, or `object` when it is not a scalar. */
export function readScimPath(resource: JsonObject, path: ScimPath): ScalarValue | { readonly notScalar: true } {
  const holder = container(resource, path);
  if (!holder) return null;
  let value = getAttribute(holder, path.attribute);
  if (path.filter.length > 0 || Array.isArray(value)) {
    const element = selectElement(value, path);
    if (!element) return null;
    value = path.subAttribute ? getAttribute(element, path.subAttribute) : getAttribute(element, 'value');
  } else if (path.subAttribute) {
    value = isObject(value) ? getAttribute(value, path.subAttribute) : undefined;
  }
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return { notScalar: true };
}

/**
 * Writes a value at a path into a resource being built for a POST. A filtered path adds an
 * element made of the filter's terms (`{ type: 'work', value }`), plus `template` attributes.
 */
export function writeScimPath(
  resource: JsonObject,
  path: ScimPath,
  value: string | number | boolean,
  template: Readonly<JsonObject> = {},
): void {
  let holder = resource;
  if (path.schema !== null) {
    const existing = resource[path.schema];
    holder = isObject(existing) ? existing : (resource[path.schema] = {});
    const schemas = Array.isArray(resource.schemas) ? resource.schemas : (resource.schemas = []);
    if (!schemas.includes(path.schema)) schemas.push(path.schema);
  }
  if (path.filter.length > 0) {
    const list = Array.isArray(holder[path.attribute]) ? (holder[path.attribute] as Json[]) : [];
    holder[path.attribute] = list;
    let element = selectElement(list, path);
    if (!element) {
      element = { ...template, ...Object.fromEntries(path.filter.map((t) => [t.attribute, t.value])) };
      list.push(element);
    }
    element[path.subAttribute ?? 'value'] = value;
    return;
  }
  if (path.subAttribute) {
    const existing = holder[path.attribute];
    const object = isObject(existing) ? existing : (holder[path.attribute] = {});
    object[path.subAttribute] = value;
    return;
  }
  holder[path.attribute] = value;
}

/**
 * A new element for a filtered multi-valued path that selects nothing yet: what a PATCH `add` on
 * the attribute appends (RFC 7644 §3.5.2.1), since `replace` on an unmatched filter is an error.
 */
export function newElement(
  path: ScimPath,
  value: string | number | boolean,
  template: Readonly<JsonObject> = {},
): JsonObject {
  return {
    ...template,
    ...Object.fromEntries(path.filter.map((t) => [t.attribute, t.value])),
    [path.subAttribute ?? 'value']: value,
  };
}

/** The path of the multi-valued attribute itself (`emails`, or `urn:...:User:emails`). */
export function attributePathText(path: ScimPath): string {
  return path.schema === null ? path.attribute : `${path.schema}:${path.attribute}`;
}

/** A filter comparing an attribute to a string, quoted as RFC 7644 §3.4.2.2 asks (a JSON string). */
export function equalityFilter(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}
