import { useId } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { CopyButton } from '../../ui/CopyButton';

const RedirectUriNoteQuery = graphql(`
  query RedirectUriNote {
    oidcRedirectUri
  }
`);

/**
 * RedirectUriNote shows the redirect URI to register with a provider before
 * adding it here: the provider needs it before it issues a client ID.
 */
export function RedirectUriNote() {
  const [{ data }] = useQuery({ query: RedirectUriNoteQuery });
  const labelId = useId();
  if (!data) return null;
  const uri = data.oidcRedirectUri;
  return (
    <div className="callout redirect-uri" role="group" aria-labelledby={labelId}>
      <p id={labelId}>
        <strong>Redirect URI</strong>
      </p>
      <p className="break">
        <code>{uri}</code> <CopyButton value={uri} label="Copy the redirect URI" />
      </p>
      <p className="muted">
        Register it with the provider first (as the redirect or callback URL of a web application); the provider
        then issues the client ID and secret to enter below.
      </p>
    </div>
  );
}
