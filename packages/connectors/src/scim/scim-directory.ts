import type { ScimAnswer, ScimClient } from './scim-client.ts';
import { equalityFilter } from './scim-path.ts';
import { asListPage, asResource, type ScimResource, userMembersOf } from './scim-resource.ts';
import type { ScimEntityTypeSettings } from './scim-settings.ts';

/** A resource with the answer it came in (for messages that name the endpoint). */
export interface FoundResource {
  readonly resource: ScimResource;
  readonly answer: ScimAnswer;
}

/** One page of a listing, without the resources already seen earlier in the same listing. */
export interface ListedPage {
  readonly resources: readonly ScimResource[];
  readonly answer: ScimAnswer;
}

/**
 * Finds SCIM resources by their Ordo key (userName, displayName) and lists them page by page.
 * Resolved ids are cached, since every write needs the id and the filter costs a request; a
 * cached id is checked by the GET that reads the resource anyway.
 */
export class ScimDirectory {
  private readonly ids = new Map<string, Map<string, string>>();

  constructor(private readonly client: ScimClient) {}

  /** The resource whose key is `key`, or null when the provider has none. */
  async find(type: ScimEntityTypeSettings, key: string): Promise<FoundResource | null> {
    const cached = this.cache(type).get(key.toLowerCase());
    if (cached !== undefined) {
      const found = await this.get(type, cached, { lean: true });
      if (found && found.resource.key.toLowerCase() === key.toLowerCase()) return found;
      this.forget(type, key);
    }
    const query = `filter=${encodeURIComponent(equalityFilter(type.keyAttribute, key))}${lean(type)}`;
    const answer = await this.client.send({ method: 'GET', path: `${type.endpoint}?${query}` });
    const page = asListPage(answer, type.keyAttribute);
    // Keys are matched as the provider's filter does (userName is case-insensitive), exact match first.
    const resource =
      page.resources.find((r) => r.key === key) ??
      page.resources.find((r) => r.key.toLowerCase() === key.toLowerCase());
    if (!resource) return null;
    this.remember(type, resource);
    return { resource, answer };
  }

  /** The resource with this id, or null when it is gone. */
  async get(type: ScimEntityTypeSettings, id: string, options: { lean?: boolean } = {}): Promise<FoundResource | null> {
    const query = options.lean && type.resource === 'Group' ? '?excludedAttributes=members' : '';
    const answer = await this.client.send({
      method: 'GET',
      path: `${type.endpoint}/${encodeURIComponent(id)}${query}`,
      accept: [404],
    });
    if (answer.status === 404) return null;
    return { resource: asResource(answer, type.keyAttribute), answer };
  }

  /** The id cached for a key, unverified; the caller must check what it reads under it. */
  cachedId(type: ScimEntityTypeSettings, key: string): string | undefined {
    return this.cache(type).get(key.toLowerCase());
  }

  remember(type: ScimEntityTypeSettings, resource: Pick<ScimResource, 'id' | 'key'>): void {
    this.cache(type).set(resource.key.toLowerCase(), resource.id);
  }

  forget(type: ScimEntityTypeSettings, key: string): void {
    this.cache(type).delete(key.toLowerCase());
  }

  /**
   * Every resource of the type, page by page (`startIndex`/`count`) until `totalResults`. `query`
   * is appended to each request (`&filter=...`). A resource seen on an earlier page (the list
   * shifted under concurrent changes) is not listed twice.
   */
  async *pages(type: ScimEntityTypeSettings, pageSize: number, query = ''): AsyncGenerator<ListedPage> {
    const seen = new Set<string>();
    let startIndex = 1;
    for (;;) {
      const answer = await this.client.send({
        method: 'GET',
        path: `${type.endpoint}?startIndex=${startIndex}&count=${pageSize}${query}`,
      });
      const page = asListPage(answer, type.keyAttribute);
      const fresh = page.resources.filter((r) => !seen.has(r.id));
      for (const resource of fresh) seen.add(resource.id);
      yield { resources: fresh, answer };
      // The provider may cap count below what was asked: advance by what it returned.
      startIndex += page.resources.length;
      if (page.resources.length === 0 || startIndex > page.totalResults) return;
    }
  }

  /** User id → keys of the groups it is a direct member of, in one pass over the groups. */
  async memberships(groupType: ScimEntityTypeSettings, pageSize: number): Promise<Map<string, string[]>> {
    const byUser = new Map<string, string[]>();
    for await (const { resources, answer } of this.pages(groupType, pageSize, '&attributes=displayName,members')) {
      for (const group of resources) {
        this.remember(groupType, group);
        for (const userId of userMembersOf(group, answer)) {
          const keys = byUser.get(userId);
          if (keys) keys.push(group.key);
          else byUser.set(userId, [group.key]);
        }
      }
    }
    return byUser;
  }

  private cache(type: ScimEntityTypeSettings): Map<string, string> {
    let cache = this.ids.get(type.endpoint);
    if (!cache) this.ids.set(type.endpoint, (cache = new Map()));
    return cache;
  }
}

/** Groups can be large: lookups leave the member list out. */
function lean(type: ScimEntityTypeSettings): string {
  return type.resource === 'Group' ? '&excludedAttributes=members' : '';
}
