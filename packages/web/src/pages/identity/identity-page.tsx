import { Tabs } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { usePathParams, useSearchValues } from '../../app/route-values.ts';
import { useSession } from '../../session/session.tsx';
import { useHolds } from '../../session/use-holds.ts';
import { Page, QueryState } from '../../ui/page.tsx';
import { useEntityTypeName } from '../directory/directory-page.tsx';
import { identityName } from '../directory/identity-values.ts';
import { useIdentity } from './api.ts';
import { IdentityHeader } from './identity-header.tsx';
import { ModifyTab } from './modify-tab.tsx';
import { PermissionsTab } from './permissions-tab.tsx';
import { RequestsTab } from './requests-tab.tsx';

type Tab = 'permissions' | 'modify' | 'requests';

/** One identity: its values and accounts, then View Permissions, Modify Permissions and Requests. */
export function IdentityPage() {
  const { entityType, identityId } = usePathParams('entityType', 'identityId');
  const search = useSearchValues<'tab' | 'assignment'>();
  const navigate = useNavigate();
  const _session = useSession();
  const typeName = useEntityTypeName(entityType);
  const identity = useIdentity(entityType, identityId);
  // Modify Permissions is offered only to those whose request the server would take.
  const mayRequest = useHolds(`/Custom/ProvisioningPolicy/RequestPermissions/${entityType}`);
  const wanted = (search.tab ?? 'permissions') as Tab;
  const tab: Tab = wanted === 'modify' && !mayRequest ? 'permissions' : wanted;

  // The tab and the open timeline live in the URL, so a colleague can be sent straight to them.
  const go = (next: { tab?: string; assignment?: string }) => {
    const wantedSearch: { tab?: string; assignment?: string } = {};
    if (next.tab && next.tab !== 'permissions') wantedSearch.tab = next.tab;
    if (next.assignment) wantedSearch.assignment = next.assignment;
    void navigate({
      to: '/directory/$entityType/$identityId',
      params: { entityType, identityId },
      search: wantedSearch,
    });
  };

  const name = identity.data ? identityName(identity.data.values, identity.data.key) : identityId;
  return (
    <Page title={name}>
      <QueryState query={identity}>
        {() => identity.data && <IdentityHeader identity={identity.data} typeName={typeName} />}
      </QueryState>
      {identity.data && (
        <Tabs value={tab} onChange={(value) => go({ tab: value ?? 'permissions' })} keepMounted={false}>
          <Tabs.List aria-label={`Permissions of ${name}`}>
            <Tabs.Tab value="permissions">View Permissions</Tabs.Tab>
            {mayRequest && <Tabs.Tab value="modify">Modify Permissions</Tabs.Tab>}
            <Tabs.Tab value="requests">Requests</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="permissions" pt="md">
            <PermissionsTab
              entityType={entityType}
              identityId={identityId}
              name={name}
              openAssignment={search.assignment}
              onOpen={(assignment) => go({ tab, ...(assignment ? { assignment } : {}) })}
            />
          </Tabs.Panel>
          {mayRequest && (
            <Tabs.Panel value="modify" pt="md">
              <ModifyTab
                entityType={entityType}
                identityId={identityId}
                name={name}
                onShowRequests={() => go({ tab: 'requests' })}
              />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="requests" pt="md">
            <RequestsTab entityType={entityType} identityId={identityId} name={name} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Page>
  );
}
