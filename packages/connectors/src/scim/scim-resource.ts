import type { ScimAnswer } from './scim-client.ts';
import { malformedAnswer } from './scim-error.ts';

/** A User or Group as the service provider returned it, checked for what the connector relies on. */
export interface ScimResource {
  readonly id: string;
  /** Its identifying attribute: userName or displayName. */
  readonly key: string;
  /** meta.version (an ETag), when the provider versions resources; null otherwise. */
  readonly version: string | null;
  /** meta.lastModified, for incremental exports. */
  readonly lastModified: string | null;
  readonly json: Readonly<Record<string, unknown>>;
}

/** One page of a ListResponse (RFC 7644 §3.4.2). */
export interface ScimListPage {
  readonly totalResults: number;
  readonly resources: readonly ScimResource[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The resource in a single-resource answer (GET, POST, PATCH, PUT). */
export function asResource(answer: ScimAnswer, keyAttribute: 'userName' | 'displayName'): ScimResource {
  return toResource(answer, answer.body, keyAttribute, 'the resource');
}

/** The page of resources in a ListResponse. */
export function asListPage(answer: ScimAnswer, keyAttribute: 'userName' | 'displayName'): ScimListPage {
  const body = answer.body;
  if (!isRecord(body)) throw malformedAnswer(answer.site, 'a ListResponse must be a JSON object');
  const total = body.totalResults;
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
    throw malformedAnswer(answer.site, 'the ListResponse has no valid totalResults');
  }
  const list = body.Resources;
  // RFC 7644 lets a provider omit Resources only when there is nothing to list.
  if (list === undefined && total === 0) return { totalResults: 0, resources: [] };
  if (!Array.isArray(list)) throw malformedAnswer(answer.site, 'the ListResponse has no Resources array');
  return {
    totalResults: total,
    resources: list.map((item, index) => toResource(answer, item, keyAttribute, `Resources[${index}]`)),
  };
}

function toResource(answer: ScimAnswer, value: unknown, keyAttribute: string, what: string): ScimResource {
  if (!isRecord(value)) throw malformedAnswer(answer.site, `${what} is not a JSON object`);
  const id = value.id;
  if (typeof id !== 'string' || id === '') throw malformedAnswer(answer.site, `${what} has no id`);
  const key = value[keyAttribute];
  if (typeof key !== 'string' || key === '')
    throw malformedAnswer(answer.site, `${what} (id ${id}) has no ${keyAttribute}`);
  const meta = isRecord(value.meta) ? value.meta : {};
  const headerVersion = what === 'the resource' ? answer.headers.get('etag') : null;
  return {
    id,
    key,
    version: typeof meta.version === 'string' && meta.version !== '' ? meta.version : headerVersion,
    lastModified: typeof meta.lastModified === 'string' ? meta.lastModified : null,
    json: value,
  };
}

/** The ids of the Users directly in a Group (members of type Group, nested groups, are not users). */
export function userMembersOf(group: ScimResource, answer: ScimAnswer): string[] {
  const members = group.json.members;
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members))
    throw malformedAnswer(answer.site, `group ${group.id} has members that are not an array`);
  const ids: string[] = [];
  for (const member of members) {
    if (!isRecord(member) || typeof member.value !== 'string') {
      throw malformedAnswer(answer.site, `group ${group.id} has a member without a value`);
    }
    if (typeof member.type === 'string' && member.type.toLowerCase() !== 'user') continue;
    ids.push(member.value);
  }
  return ids;
}
