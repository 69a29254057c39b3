import { startScimServer } from '@ordo/scim-server-fixture';
import { describeConnectorContract } from '../contract/connector-contract.ts';
import {
  connectorFor,
  createGroupDirectly,
  groupsOfDirectly,
  listDirectly,
  unique,
  userDirectly,
  valuesDirectly,
} from './scim-test-setup.ts';

describeConnectorContract('scim (better-auth @better-auth/scim 1.7.5)', async () => {
  const server = await startScimServer();
  const groups: [string, string] = [unique('staff'), unique('admins')];
  for (const group of groups) await createGroupDirectly(server, group);
  return {
    connector: connectorFor(server),
    accountType: 'ScimUser',
    groupType: 'ScimGroup',
    membership: 'groups',
    groups,
    newAccount: (name) => ({
      key: name,
      values: { userName: name, email: `${name}@example.org`, title: 'Engineer', 'name.givenName': 'Ada' },
    }),
    changeable: { property: 'email', value: (name) => `changed.${name}@example.org` },
    clearable: 'title',
    independentRead: async (key) => {
      const user = await userDirectly(server, key);
      if (!user) return null;
      return { values: valuesDirectly(user), groups: await groupsOfDirectly(server, user.id as string) };
    },
    independentCount: async (prefix) =>
      (await listDirectly(server, '/Users')).filter((u) => (u.userName as string).startsWith(prefix)).length,
    close: () => server.stop(),
  };
});
