import type { CreateOperation, DeleteOperation, FulfilOutcome, UpdateOperation } from '../connector.ts';
import { ConnectorError } from '../connector-error.ts';
import type { ScimClient } from './scim-client.ts';
import type { FoundResource, ScimDirectory } from './scim-directory.ts';
import { errorFromStatus } from './scim-error.ts';
import { checkValues, creationBody, patchOperations, patchRequest } from './scim-mapping.ts';
import { asResource, userMembersOf } from './scim-resource.ts';
import type { ScimEntityTypeSettings, ScimSettings } from './scim-settings.ts';

/** A group to write a membership on. */
interface GroupRef {
  readonly type: ScimEntityTypeSettings;
  readonly id: string;
  readonly key: string;
}

/** Whether an operation already wrote something, so that a later failure says `maybe`. */
export interface WriteProgress {
  wrote: boolean;
}

/**
 * Applies fulfil operations with ensure semantics: look the resource up by key, create it when
 * absent, otherwise PATCH only what differs; memberships are single add/remove operations on the
 * Group, never a replacement of its member list. With ETags (meta.version) every write carries
 * If-Match, and a 412 re-reads and retries once.
 */
export class ScimWriter {
  constructor(
    private readonly settings: ScimSettings,
    private readonly client: ScimClient,
    private readonly directory: ScimDirectory,
  ) {}

  /** An error raised here, named after the connection like the client's. */
  private fail(message: string, kind: 'not_found' | 'schema'): ConnectorError {
    return new ConnectorError(`SCIM connection ${this.settings.connectionId}: ${message}`, { kind, applied: 'no' });
  }

  async create(
    type: ScimEntityTypeSettings,
    operation: CreateOperation,
    progress: WriteProgress,
  ): Promise<FulfilOutcome> {
    checkValues(this.settings.connectionId, type, operation.values);
    // Groups are resolved before anything is written, so a missing group fails with nothing applied.
    const groups = await this.resolveGroups(type, operation.links, 'add');
    const found = await this.directory.find(type, operation.key);
    let target: { changed: boolean; key: string; id: string };
    if (found) {
      target = { ...(await this.patchValues(type, found, operation.values, progress)), id: found.resource.id };
    } else {
      target = await this.post(type, operation, progress);
    }
    let changed = target.changed;
    for (const group of groups) {
      if (await this.ensureMember(group, target.id, true, progress)) changed = true;
    }
    return { changed, key: target.key };
  }

  async update(
    type: ScimEntityTypeSettings,
    operation: UpdateOperation,
    progress: WriteProgress,
  ): Promise<FulfilOutcome> {
    checkValues(this.settings.connectionId, type, operation.values);
    const added = await this.resolveGroups(type, operation.addLinks, 'add');
    const removed = await this.resolveGroups(type, operation.removeLinks, 'remove');
    const found = await this.directory.find(type, operation.key);
    if (!found) {
      throw this.fail(`${type.resource} ${operation.key} does not exist`, 'not_found');
    }
    const patched = await this.patchValues(type, found, operation.values, progress);
    let changed = patched.changed;
    for (const group of added) {
      if (await this.ensureMember(group, found.resource.id, true, progress)) changed = true;
    }
    for (const group of removed) {
      if (await this.ensureMember(group, found.resource.id, false, progress)) changed = true;
    }
    return { changed, key: patched.key };
  }

  async delete(
    type: ScimEntityTypeSettings,
    operation: DeleteOperation,
    progress: WriteProgress,
  ): Promise<FulfilOutcome> {
    let found = await this.directory.find(type, operation.key);
    for (let attempt = 0; found; attempt += 1) {
      const answer = await this.client.send({
        method: 'DELETE',
        path: `${type.endpoint}/${encodeURIComponent(found.resource.id)}`,
        ...(found.resource.version === null ? {} : { ifMatch: found.resource.version }),
        accept: attempt === 0 ? [404, 412] : [404],
      });
      if (answer.status === 412) {
        found = await this.directory.get(type, found.resource.id, { lean: true });
        continue;
      }
      this.directory.forget(type, operation.key);
      if (answer.status === 404) break;
      progress.wrote = true;
      return { changed: true, key: found.resource.key };
    }
    this.directory.forget(type, operation.key);
    return { changed: false, key: operation.key };
  }

  /**
   * POSTs a new resource. A 409 means it exists after all (a retried create that was applied, or
   * a concurrent one): then it is patched like a found one. A conflict on another unique attribute
   * (an email) leaves nothing to match: already_exists.
   */
  private async post(
    type: ScimEntityTypeSettings,
    operation: CreateOperation,
    progress: WriteProgress,
  ): Promise<{ changed: boolean; key: string; id: string }> {
    const answer = await this.client.send({
      method: 'POST',
      path: type.endpoint,
      body: creationBody(type, operation.key, operation.values),
      accept: [409],
    });
    if (answer.status === 409) {
      const found = await this.directory.find(type, operation.key);
      if (!found) throw errorFromStatus(answer.site, 409, answer.headers, answer.body);
      return { ...(await this.patchValues(type, found, operation.values, progress)), id: found.resource.id };
    }
    progress.wrote = true;
    const created = asResource(answer, type.keyAttribute);
    this.directory.remember(type, created);
    return { changed: true, key: created.key, id: created.id };
  }

  /** PATCHes the values that differ; on 412 (a newer version) re-reads and tries once more. */
  private async patchValues(
    type: ScimEntityTypeSettings,
    found: FoundResource,
    desired: CreateOperation['values'],
    progress: WriteProgress,
  ): Promise<{ changed: boolean; key: string }> {
    let current = found;
    for (let attempt = 0; ; attempt += 1) {
      const operations = patchOperations(type, current.resource, desired);
      if (operations.length === 0) return { changed: false, key: current.resource.key };
      const answer = await this.client.send({
        method: 'PATCH',
        path: `${type.endpoint}/${encodeURIComponent(current.resource.id)}`,
        body: patchRequest(operations),
        ...(current.resource.version === null ? {} : { ifMatch: current.resource.version }),
        accept: attempt === 0 ? [412] : [],
      });
      if (answer.status === 412) {
        const reread = await this.directory.get(type, current.resource.id);
        if (!reread) throw this.fail(`${type.resource} ${current.resource.key} was deleted meanwhile`, 'not_found');
        current = reread;
        continue;
      }
      progress.wrote = true;
      // RFC 7644 allows 204 without a body; then the key is what was asked.
      const wantedKey = desired[type.keyProperty];
      let key = typeof wantedKey === 'string' ? wantedKey : current.resource.key;
      if (answer.status !== 204 && answer.body !== null) key = asResource(answer, type.keyAttribute).key;
      if (key !== current.resource.key) {
        this.directory.forget(type, current.resource.key);
        this.directory.remember(type, { ...current.resource, key });
      }
      return { changed: true, key };
    }
  }

  /**
   * Makes a user a member of a group or not, with one `add` or `remove` operation on the group
   * (`members[value eq "id"]`), so members added by others are never touched. Reads the group
   * first to report `changed` truthfully, to get its version, and to check a cached id.
   */
  private async ensureMember(
    group: GroupRef,
    userId: string,
    member: boolean,
    progress: WriteProgress,
  ): Promise<boolean> {
    let id = group.id;
    let resolvedAgain = false;
    let preconditionRetried = false;
    for (;;) {
      const found = await this.directory.get(group.type, id);
      if (!found || found.resource.key.toLowerCase() !== group.key.toLowerCase()) {
        // The cached id went stale (the group was deleted or renamed meanwhile): look it up again.
        this.directory.forget(group.type, group.key);
        const fresh = resolvedAgain ? null : await this.directory.find(group.type, group.key);
        resolvedAgain = true;
        if (fresh) {
          id = fresh.resource.id;
          continue;
        }
        if (!member) return false;
        throw this.fail(`group ${group.key} does not exist (any more)`, 'not_found');
      }
      if (userMembersOf(found.resource, found.answer).includes(userId) === member) return false;
      const operation = member
        ? { op: 'add' as const, path: 'members', value: [{ value: userId }] }
        : { op: 'remove' as const, path: `members[value eq ${JSON.stringify(userId)}]` };
      const answer = await this.client.send({
        method: 'PATCH',
        path: `${group.type.endpoint}/${encodeURIComponent(id)}?excludedAttributes=members`,
        body: patchRequest([operation]),
        ...(found.resource.version === null ? {} : { ifMatch: found.resource.version }),
        accept: preconditionRetried ? [] : [412],
      });
      if (answer.status === 412) {
        preconditionRetried = true;
        continue;
      }
      progress.wrote = true;
      return true;
    }
  }

  /**
   * The groups named in the links, by id (a cached id is checked later by {@link ensureMember}).
   * For an add, a group that does not exist is not_found; for a remove, there is nothing to
   * leave, so it is skipped.
   */
  private async resolveGroups(
    type: ScimEntityTypeSettings,
    links: Readonly<Record<string, readonly string[]>>,
    purpose: 'add' | 'remove',
  ): Promise<GroupRef[]> {
    const groups: GroupRef[] = [];
    for (const [property, keys] of Object.entries(links)) {
      if (keys.length === 0) continue;
      if (type.membership?.property !== property) {
        throw this.fail(`${type.entityType} has no membership navigation "${property}" on this connection`, 'schema');
      }
      const groupType = this.settings.entityTypes[type.membership.groupType];
      if (!groupType) continue;
      for (const key of new Set(keys)) {
        const cached = this.directory.cachedId(groupType, key);
        if (cached !== undefined) {
          groups.push({ type: groupType, id: cached, key });
          continue;
        }
        const found = await this.directory.find(groupType, key);
        if (found) groups.push({ type: groupType, id: found.resource.id, key: found.resource.key });
        else if (purpose === 'add') {
          throw this.fail(`group ${key} does not exist`, 'not_found');
        }
      }
    }
    return groups;
  }
}
