import { useState } from 'react';
import { graphql } from '../../gql';
import { useTabQuery } from '../../graphql/useTabQuery';
import { ListTable } from '../../ui/ListTable';
import { PageSection } from '../../ui/PageSection';
import { QueryContent } from '../../ui/QueryContent';
import { useHasPermission } from '../../viewer/permissions';
import { RoleFormDialog } from './RoleFormDialog';
import { RoleRow } from './RoleRow';

const RolesPageQuery = graphql(`
  query RolesPage {
    roles {
      id
      ...RoleRow_Role
    }
    permissions {
      ...RoleFormDialog_Permission
    }
  }
`);

/** RolesPage is the Settings › Roles & Permissions tab: the organization's roles and what each may do. */
export function RolesPage() {
  const canWrite = useHasPermission('roles:write');
  const [{ data, error }, refetch] = useTabQuery({ query: RolesPageQuery });
  const [creating, setCreating] = useState(false);

  return (
    <PageSection
      headingId="roles-heading"
      title="Roles & Permissions"
      description="Roles hold permissions; members and service accounts hold roles."
      action={
        canWrite &&
        data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create role
          </button>
        )
      }
    >
      <QueryContent data={data} error={error} what="roles" onRetry={refetch}>
        {(data) => (
          <ListTable label="Roles" columns={['Role', 'Permissions']} items={data.roles}>
            {(role) => (
              <RoleRow
                key={role.id}
                role={role}
                permissions={data.permissions}
                canWrite={canWrite}
                onChanged={refetch}
              />
            )}
          </ListTable>
        )}
      </QueryContent>
      {creating && data && (
        <RoleFormDialog permissions={data.permissions} onClose={() => setCreating(false)} onSaved={refetch} />
      )}
    </PageSection>
  );
}
