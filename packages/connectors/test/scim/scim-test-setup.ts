import type { EntityType, ScalarValue } from '@ordo/core';
import type { ScimServer } from '@ordo/scim-server-fixture';
import { createScimConnector } from '../../src/scim/scim-connector.ts';

const scalar = (name: string, type: 'string' | 'bool' = 'string') => ({ kind: 'scalar' as const, name, type });

/** A User type keyed by userName with a work email, a clearable title and a name part; groups by displayName. */
export const entityTypes: Record<string, EntityType> = {
  ScimUser: {
    id: 'ScimUser',
    displayName: 'SCIM user',
    key: 'userName',
    properties: {
      userName: scalar('userName'),
      email: scalar('email'),
      title: scalar('title'),
      'name.givenName': scalar('name.givenName'),
      active: scalar('active', 'bool'),
      groups: { kind: 'navigation', name: 'groups', target: 'ScimGroup', multiValued: true },
    },
    context: { start: null, end: null },
  },
  ScimGroup: {
    id: 'ScimGroup',
    displayName: 'SCIM group',
    key: 'displayName',
    properties: { displayName: scalar('displayName'), externalId: scalar('externalId') },
    context: { start: null, end: null },
  },
};

export function connectorFor(
  server: Pick<ScimServer, 'baseUrl' | 'token'>,
  settings: Record<string, string | number | boolean | null> = {},
) {
  return createScimConnector({
    connectionId: 'ScimTest',
    settings: { baseUrl: server.baseUrl, token: server.token, 'ScimUser.membership': 'groups', ...settings },
    entityTypes,
  });
}

let counter = 0;
/** A name unique across runs and tests. */
export function unique(label: string): string {
  counter += 1;
  return `${label}${counter}x${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

type Json = Record<string, unknown>;

/** Creates a group straight on the server (not through the connector); returns its id. */
export async function createGroupDirectly(server: ScimServer, displayName: string): Promise<string> {
  const answer = await server.request('POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName,
  });
  if (answer.status !== 201) throw new Error(`group ${displayName}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as Json).id as string;
}

/** Every resource of an endpoint, read page by page with raw HTTP. */
export async function listDirectly(server: ScimServer, endpoint: '/Users' | '/Groups'): Promise<Json[]> {
  const all: Json[] = [];
  for (let start = 1; ; ) {
    const answer = await server.request('GET', `${endpoint}?startIndex=${start}&count=100`);
    const body = answer.body as { totalResults: number; Resources?: Json[] };
    const page = body.Resources ?? [];
    all.push(...page);
    start += page.length;
    if (page.length === 0 || start > body.totalResults) return all;
  }
}

/** The user with this userName, read with raw HTTP; null when absent. */
export async function userDirectly(server: ScimServer, userName: string): Promise<Json | null> {
  const filter = encodeURIComponent(`userName eq ${JSON.stringify(userName)}`);
  const answer = await server.request('GET', `/Users?filter=${filter}`);
  if (answer.status !== 200) throw new Error(`lookup of ${userName}: ${answer.status}`);
  const found = ((answer.body as { Resources?: Json[] }).Resources ?? [])[0];
  return found ?? null;
}

/** Display names of the groups listing this user id as a member, read with raw HTTP. */
export async function groupsOfDirectly(server: ScimServer, userId: string): Promise<string[]> {
  const groups = await listDirectly(server, '/Groups');
  return groups
    .filter((g) => ((g.members as { value: string }[] | undefined) ?? []).some((m) => m.value === userId))
    .map((g) => g.displayName as string);
}

/** The values of the test User type as the server holds them, read without the connector. */
export function valuesDirectly(user: Json): Record<string, ScalarValue> {
  const emails = (user.emails as { value: string; primary?: boolean }[] | undefined) ?? [];
  const name = (user.name as { givenName?: string } | undefined) ?? {};
  return {
    userName: user.userName as string,
    email: emails.find((e) => e.primary)?.value ?? null,
    title: (user.title as string | undefined) ?? null,
    'name.givenName': name.givenName ?? null,
    active: user.active as boolean,
  };
}
