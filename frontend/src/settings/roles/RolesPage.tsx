import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorMessage } from '../../graphql/errors';
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
  const [{ data, error }, reexecute] = useQuery({
    query: RolesPageQuery,
    // A tab opened again shows what it had at once, then what the server has now.
    requestPolicy: 'cache-and-network',
  });
  const [creating, setCreating] = useState(false);
  const refetch = () => reexecute({ requestPolicy: 'network-only' });

  return (
    <section aria-labelledby="roles-heading">
      <header className="page-header">
        <div>
          <h2 id="roles-heading">Roles & Permissions</h2>
          <p className="muted">Roles hold permissions; members and service accounts hold roles.</p>
        </div>
        {canWrite && data && (
          <button type="button" onClick={() => setCreating(true)}>
            Create role
          </button>
        )}
      </header>
      {data ? (
        <div className="table-scroll">
          <table aria-label="Roles">
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Permissions</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.roles.map((role) => (
                <RoleRow
                  key={role.id}
                  role={role}
                  permissions={data.permissions}
                  canWrite={canWrite}
                  onChanged={refetch}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : error ? (
        <div role="alert" className="callout">
          <p>Could not load roles. {errorMessage(error)}</p>
          <button type="button" onClick={refetch}>
            Retry
          </button>
        </div>
      ) : (
        <p role="status">Loading…</p>
      )}
      {creating && data && (
        <RoleFormDialog permissions={data.permissions} onClose={() => setCreating(false)} onSaved={refetch} />
      )}
    </section>
  );
}
