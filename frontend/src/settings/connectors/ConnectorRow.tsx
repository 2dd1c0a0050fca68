import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RelativeTime } from '../../ui/RelativeTime';
import { ConnectorFormDialog, ConnectorFormDialog_ConnectorTypeFragment } from './ConnectorFormDialog';
import { ConnectorTestDialog } from './ConnectorTestDialog';

export const ConnectorRow_ConnectorFragment = graphql(`
  fragment ConnectorRow_Connector on Connector {
    id
    name
    type
    config
    credentialFields
    updatedAt
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

/** ConnectorRow is one connector: its type, settings, which credentials are set, and its actions. */
export function ConnectorRow({ connector: connectorRef, types: typeRefs, canWrite, onChanged }: ConnectorRowProps) {
  const connector = getFragmentData(ConnectorRow_ConnectorFragment, connectorRef);
  const type = getFragmentData(ConnectorFormDialog_ConnectorTypeFragment, typeRefs).find((t) => t.type === connector.type);
  const [, deleteConnector] = useMutation(DeleteConnectorMutation);
  const [open, setOpen] = useState<'edit' | 'test' | 'delete' | null>(null);
  const typeLabel = type?.label ?? connector.type;

  async function confirmDelete() {
    const result = await deleteConnector({ input: { id: connector.id } });
    if (result.error) return errorMessage(result.error);
    onChanged();
    return null;
  }

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
        <RelativeTime iso={connector.updatedAt} />
      </td>
      <td>
        {canWrite && (
          <div className="row-actions">
            <button type="button" className="button-secondary" onClick={() => setOpen('test')}>
              Test connection <span className="visually-hidden">{connector.name}</span>
            </button>
            <button type="button" className="button-secondary" onClick={() => setOpen('edit')}>
              Edit <span className="visually-hidden">{connector.name}</span>
            </button>
            <button type="button" className="button-secondary" onClick={() => setOpen('delete')}>
              Delete <span className="visually-hidden">{connector.name}</span>
            </button>
          </div>
        )}
        {open === 'test' && (
          <ConnectorTestDialog
            connector={{ id: connector.id, name: connector.name, typeLabel }}
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
            onConfirm={confirmDelete}
            onClose={() => setOpen(null)}
          >
            <p>Its settings and stored credentials are removed.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
