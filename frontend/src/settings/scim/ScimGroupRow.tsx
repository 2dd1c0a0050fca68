import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { RowActionButton } from '../../ui/RowActionButton';
import { RoleChecklistDialog, type RoleChecklistDialog_RoleFragment } from '../roles/RoleChecklistDialog';
import { changeMessage } from '../../ui/changeMessage';

export const ScimGroupRow_ScimGroupFragment = graphql(`
  fragment ScimGroupRow_ScimGroup on ScimGroup {
    id
    displayName
    externalId
    memberCount
    roles {
      id
      name
    }
  }
`);

const MapScimGroupToRoleMutation = graphql(`
  mutation MapScimGroupToRole($input: MapScimGroupToRoleInput!) {
    mapScimGroupToRole(input: $input) {
      group {
        id
      }
    }
  }
`);

const UnmapScimGroupFromRoleMutation = graphql(`
  mutation UnmapScimGroupFromRole($input: UnmapScimGroupFromRoleInput!) {
    unmapScimGroupFromRole(input: $input) {
      group {
        id
      }
    }
  }
`);

interface ScimGroupRowProps {
  group: FragmentType<typeof ScimGroupRow_ScimGroupFragment>;
  roles: ReadonlyArray<FragmentType<typeof RoleChecklistDialog_RoleFragment>>;
  canMapRoles: boolean;
  onChanged: () => void;
}

/** ScimGroupRow is one provisioned group with the roles its members hold through it. */
export function ScimGroupRow({ group: groupRef, roles, canMapRoles, onChanged }: ScimGroupRowProps) {
  const group = getFragmentData(ScimGroupRow_ScimGroupFragment, groupRef);
  const [, mapRole] = useMutation(MapScimGroupToRoleMutation);
  const [, unmapRole] = useMutation(UnmapScimGroupFromRoleMutation);
  const [editing, setEditing] = useState(false);

  return (
    <tr>
      <th scope="row">
        {group.displayName}
        {group.externalId && <div className="muted">{group.externalId}</div>}
      </th>
      <td>{group.memberCount}</td>
      <td>{group.roles.map((r) => r.name).join(', ') || <span className="muted">No roles</span>}</td>
      <td>
        {canMapRoles && (
          <div className="row-actions">
            <RowActionButton label="Edit roles" target={`of ${group.displayName}`} onClick={() => setEditing(true)} />
          </div>
        )}
        {editing && (
          <RoleChecklistDialog
            title={`Roles of group ${group.displayName}`}
            heldRoleIds={group.roles.map((r) => r.id)}
            roles={roles}
            give={async (roleId) => (await mapRole({ input: { groupId: group.id, roleId } })).error}
            take={async (roleId) => (await unmapRole({ input: { groupId: group.id, roleId } })).error}
            saved={changeMessage('Roles of group', group.displayName, 'saved')}
            onClose={() => setEditing(false)}
            onChanged={onChanged}
          />
        )}
      </td>
    </tr>
  );
}
