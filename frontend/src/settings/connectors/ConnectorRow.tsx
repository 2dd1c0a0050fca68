import { useState } from 'react';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RelativeTime } from '../../ui/RelativeTime';
import { RowActionButton } from '../../ui/RowActionButton';
import { ConnectorFormDialog, ConnectorFormDialog_ConnectorTypeFragment } from './ConnectorFormDialog';
import { ConnectorLastTest } from './ConnectorLastTest';
import { ConnectorTestDialog } from './ConnectorTestDialog';
import { changeMessage } from '../../ui/changeMessage';

export const ConnectorRow_ConnectorFragment = graphql(`
  fragment ConnectorRow_Connector on Connector {
    id
    name
    type
    config
    credentialFields
    updatedAt
    ...ConnectorLastTest_Connector
    ...ConnectorFormDialog_Connector
  }
`);

const DeleteConnectorMutation = graphql(`
  mutation DeleteConnector($input: DeleteConnectorInput!) {
    deleteConnector(input: $input) {
      deletedConnectorId
    }
  }
`);

interface ConnectorRowProps {
  connector: FragmentType<typeof ConnectorRow_ConnectorFragment>;
  types: ReadonlyArray<FragmentType<typeof ConnectorFormDialog_ConnectorTypeFragment>>;
  canWrite: boolean;
  onChanged: () => void;
}

/** ConnectorRow is one connector: its type, settings, which credentials are set, its last test, and its actions. */
export function ConnectorRow({ connector: connectorRef, types: typeRefs, canWrite, onChanged }: ConnectorRowProps) {
  const connector = getFragmentData(ConnectorRow_ConnectorFragment, connectorRef);
  const type = getFragmentData(ConnectorFormDialog_ConnectorTypeFragment, typeRefs).find((t) => t.type === connector.type);
  const deleteConnector = useConfirmedMutation(
    DeleteConnectorMutation,
    onChanged,
    changeMessage('Connector', connector.name, 'deleted'),
  );
  const [open, setOpen] = useState<'edit' | 'test' | 'delete' | null>(null);
  const typeLabel = type?.label ?? connector.type;

  const settings = (type?.configFields ?? []).filter((f) => connector.config[f.name] != null);
  return (
    <tr>
      <th scope="row">{connector.name}</th>
      <td>{typeLabel}</td>
      <td>
        <dl className="config-list">
          {settings.map((f) => (
            <div key={f.name}>
              <dt>{f.label}</dt>
              <dd>{String(connector.config[f.name])}</dd>
            </div>
          ))}
        </dl>
      </td>
      <td>
        <ul className="plain-list" aria-label={`Credentials of ${connector.name}`}>
          {(type?.credentialFields ?? []).map((f) => (
            <li key={f.name}>
              {f.label}: {connector.credentialFields.includes(f.name) ? 'set' : <span className="muted">not set</span>}
            </li>
          ))}
        </ul>
      </td>
      <td>
        <ConnectorLastTest connector={connector} />
      </td>
      <td>
        <RelativeTime iso={connector.updatedAt} />
      </td>
      <td>
        {canWrite && (
          <div className="row-actions">
            <RowActionButton label="Test connection" target={connector.name} onClick={() => setOpen('test')} />
            <RowActionButton label="Edit" target={connector.name} onClick={() => setOpen('edit')} />
            <RowActionButton label="Delete" target={connector.name} onClick={() => setOpen('delete')} />
          </div>
        )}
        {open === 'test' && (
          <ConnectorTestDialog
            connector={{ id: connector.id, name: connector.name, typeLabel }}
            onTested={onChanged}
            onClose={() => setOpen(null)}
          />
        )}
        {open === 'edit' && (
          <ConnectorFormDialog connector={connector} types={typeRefs} onClose={() => setOpen(null)} onSaved={onChanged} />
        )}
        {open === 'delete' && (
          <ConfirmDialog
            title={`Delete connector ${connector.name}?`}
            confirmLabel="Delete connector"
            onConfirm={() => deleteConnector({ input: { id: connector.id } })}
            onClose={() => setOpen(null)}
          >
            <p>Its settings and stored credentials are removed.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
