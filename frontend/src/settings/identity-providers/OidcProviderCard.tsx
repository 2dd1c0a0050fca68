import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../../gql';
import { errorMessage } from '../../graphql/errors';
import { useConfirmedMutation } from '../../graphql/useConfirmedMutation';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { CopyButton } from '../../ui/CopyButton';
import { RowActionButton } from '../../ui/RowActionButton';
import { changeMessage } from '../../ui/changeMessage';
import { useToast } from '../../ui/toast';
import { OidcProviderFormDialog } from './OidcProviderFormDialog';
import { SignInTestDialog } from './SignInTestDialog';

export const OidcProviderCard_OidcProviderFragment = graphql(`
  fragment OidcProviderCard_OidcProvider on OidcProvider {
    id
    name
    issuer
    clientId
    hasClientSecret
    scopes
    callbackUrl
    testUrl
    organizations {
      id
      name
    }
    ...OidcProviderFormDialog_OidcProvider
  }
`);

const AddOidcProviderToOrganizationMutation = graphql(`
  mutation AddOidcProviderToOrganization($input: AddOidcProviderToOrganizationInput!) {
    addOidcProviderToOrganization(input: $input) {
      oidcProvider {
        id
      }
    }
  }
`);

const RemoveOidcProviderFromOrganizationMutation = graphql(`
  mutation RemoveOidcProviderFromOrganization($input: RemoveOidcProviderFromOrganizationInput!) {
    removeOidcProviderFromOrganization(input: $input) {
      oidcProvider {
        id
      }
    }
  }
`);

const DeleteOidcProviderMutation = graphql(`
  mutation DeleteOidcProvider($input: DeleteOidcProviderInput!) {
    deleteOidcProvider(input: $input) {
      deletedOidcProviderId
    }
  }
`);

interface OidcProviderCardProps {
  provider: FragmentType<typeof OidcProviderCard_OidcProviderFragment>;
  /** organizationId is the viewer's current organization, which links and unlinks act on. */
  organizationId: string;
  /** signedInWithIt tells whether the viewer signed in through this provider: unlinking or deleting it signs them out. */
  signedInWithIt: boolean;
  canWrite: boolean;
  onChanged: () => void;
}

/** OidcProviderCard is one identity provider: its settings, the redirect URI to register, and its links. */
export function OidcProviderCard({
  provider: providerRef,
  organizationId,
  signedInWithIt,
  canWrite,
  onChanged,
}: OidcProviderCardProps) {
  const provider = getFragmentData(OidcProviderCard_OidcProviderFragment, providerRef);
  const headingId = useId();
  const toast = useToast();
  const [linking, link] = useMutation(AddOidcProviderToOrganizationMutation);
  const unlink = useConfirmedMutation(
    RemoveOidcProviderFromOrganizationMutation,
    onChanged,
    changeMessage('Identity provider', provider.name, 'unlinked from this organization'),
  );
  const deleteProvider = useConfirmedMutation(
    DeleteOidcProviderMutation,
    onChanged,
    changeMessage('Identity provider', provider.name, 'deleted'),
  );
  const [open, setOpen] = useState<'edit' | 'unlink' | 'delete' | 'test' | null>(null);
  const [testWindow, setTestWindow] = useState<Window | null>(null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const linked = provider.organizations.some((o) => o.id === organizationId);
  // Unlinking or deleting the provider the viewer signed in through ends their session.
  const signedOut = signedInWithIt && (
    <p>
      <strong>You will be signed out:</strong> you signed in through {provider.name}.
    </p>
  );

  async function addLink() {
    setLinkError(null);
    const result = await link({ input: { providerId: provider.id } });
    if (result.error) return setLinkError(errorMessage(result.error));
    toast(changeMessage('Identity provider', provider.name, 'linked to this organization'));
    onChanged();
  }

  function startTest() {
    // Opened by the click itself, so the browser does not block it; the
    // window keeps this one as its opener to hand the result back.
    setTestWindow(window.open(provider.testUrl, 'orgtrail-sign-in-test', 'popup,width=560,height=720'));
    setOpen('test');
  }

  return (
    <li className="callout" aria-labelledby={headingId}>
      <header className="page-header">
        <div>
          <h3 id={headingId}>
            {provider.name}{' '}
            <span className="badge">{linked ? 'Linked to this organization' : 'Not linked to this organization'}</span>
          </h3>
          <p className="muted break">{provider.issuer}</p>
        </div>
        {canWrite && (
          <div className="row-actions">
            {linked ? (
              <button type="button" className="button-secondary" onClick={() => setOpen('unlink')}>
                Unlink <span className="visually-hidden">{provider.name}</span> from this organization
              </button>
            ) : (
              <button type="button" disabled={linking.fetching} onClick={addLink}>
                Link <span className="visually-hidden">{provider.name}</span> to this organization
              </button>
            )}
            <button type="button" className="button-secondary" onClick={startTest}>
              Test sign-in <span className="visually-hidden">with {provider.name}</span>
            </button>
            <RowActionButton label="Edit" target={provider.name} onClick={() => setOpen('edit')} />
            <RowActionButton label="Delete" target={provider.name} onClick={() => setOpen('delete')} />
          </div>
        )}
      </header>
      {linkError && (
        <p role="alert" className="form-error">
          {linkError}
        </p>
      )}
      <dl className="detail-fields">
        <dt>Client ID</dt>
        <dd className="break">
          <code>{provider.clientId}</code>
        </dd>
        <dt>Client secret</dt>
        <dd>{provider.hasClientSecret ? 'Stored (never shown)' : 'None: a public client using PKCE'}</dd>
        <dt>Scopes</dt>
        <dd>
          <code>{provider.scopes.join(' ')}</code>
        </dd>
        <dt>Redirect URI</dt>
        <dd className="break">
          <code>{provider.callbackUrl}</code>{' '}
          <CopyButton value={provider.callbackUrl} label={`Copy the redirect URI of ${provider.name}`} />
          <div className="muted">Register it with the provider.</div>
        </dd>
        <dt>Organizations</dt>
        <dd>{provider.organizations.map((o) => o.name).join(', ') || <span className="muted">None</span>}</dd>
      </dl>
      {open === 'test' && (
        <SignInTestDialog provider={provider} testWindow={testWindow} onClose={() => setOpen(null)} />
      )}
      {open === 'edit' && <OidcProviderFormDialog provider={provider} onClose={() => setOpen(null)} onSaved={onChanged} />}
      {open === 'unlink' && (
        <ConfirmDialog
          title={`Unlink ${provider.name} from this organization?`}
          confirmLabel="Unlink provider"
          onConfirm={() => unlink({ input: { providerId: provider.id } })}
          onClose={() => setOpen(null)}
        >
          <p>Members of this organization can no longer sign in with {provider.name}.</p>
          {signedOut}
        </ConfirmDialog>
      )}
      {open === 'delete' && (
        <ConfirmDialog
          title={`Delete identity provider ${provider.name}?`}
          confirmLabel="Delete provider"
          onConfirm={() => deleteProvider({ input: { id: provider.id } })}
          onClose={() => setOpen(null)}
        >
          <p>Nobody can sign in with {provider.name} any more, in any organization of the account.</p>
          {signedOut}
        </ConfirmDialog>
      )}
    </li>
  );
}

