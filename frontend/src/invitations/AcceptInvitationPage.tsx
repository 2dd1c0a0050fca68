import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type CombinedError, useMutation } from 'urql';
import { graphql } from '../gql';
import { errorMessage, hasErrorCode } from '../graphql/errors';
import { navigateAway } from '../layout/navigateAway';

const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      organization {
        id
        name
      }
    }
  }
`);

const SwitchToJoinedOrganizationMutation = graphql(`
  mutation SwitchToJoinedOrganization($input: SwitchOrganizationInput!) {
    switchOrganization(input: $input) {
      viewer {
        organization {
          id
        }
      }
    }
  }
`);

/** isAcceptedAlready tells whether the invitation was accepted before (by its invitee: the email must match). */
function isAcceptedAlready(error: CombinedError): boolean {
  return hasErrorCode(error, 'CONFLICT') && error.graphQLErrors.some((e) => /already been accepted/.test(e.message));
}

/** refusal explains why an invitation could not be accepted. */
function refusal(error: CombinedError): string {
  if (hasErrorCode(error, 'NOT_FOUND')) return 'This invitation link is not valid. Ask for a new invitation.';
  if (hasErrorCode(error, 'FORBIDDEN')) {
    return `${errorMessage(error)}. Sign out, then sign in with the email address the invitation was sent to.`;
  }
  return errorMessage(error);
}

/**
 * AcceptInvitationPage is where an invitation link lands (/invitations/accept?token=).
 * The app frame has already sent a signed-out visitor to sign in and back;
 * here the signed-in person joins the organization, then may open it.
 */
export function AcceptInvitationPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token') ?? '';
  const [accepted, accept] = useMutation(AcceptInvitationMutation);
  const [switched, switchOrganization] = useMutation(SwitchToJoinedOrganizationMutation);
  const asked = useRef(false);

  useEffect(() => {
    if (!token || asked.current) return;
    asked.current = true;
    void accept({ input: { token } });
  }, [token, accept]);

  async function open(organizationId: string) {
    const result = await switchOrganization({ input: { organizationId } });
    if (!result.error) navigateAway('/settings');
  }

  const organization = accepted.data?.acceptInvitation.organization;
  let body;
  if (!token) {
    body = <p role="alert">This invitation link is incomplete. Open the link from the invitation email again.</p>;
  } else if (organization) {
    body = (
      <div role="status" className="stack">
        <p>
          You joined <strong>{organization.name}</strong>.
        </p>
        <div>
          <button type="button" disabled={switched.fetching} onClick={() => open(organization.id)}>
            Open {organization.name}
          </button>
        </div>
        {switched.error && (
          <p role="alert" className="field-error">
            {errorMessage(switched.error)}
          </p>
        )}
      </div>
    );
  } else if (accepted.error && isAcceptedAlready(accepted.error)) {
    // Signing in as the invitee accepts a pending invitation on the way here.
    body = (
      <div role="status" className="stack">
        <p>This invitation has been accepted: you are a member.</p>
        <p>
          <Link to="/settings">Go to Settings</Link>
        </p>
      </div>
    );
  } else if (accepted.error) {
    body = (
      <div role="alert" className="stack">
        <p>{refusal(accepted.error)}</p>
        <p>
          <Link to="/settings">Go to Settings</Link>
        </p>
      </div>
    );
  } else {
    body = <p role="status">Accepting the invitation…</p>;
  }

  return (
    <section className="callout stack invitation" aria-labelledby="invitation-heading">
      <h1 id="invitation-heading">Invitation</h1>
      {body}
    </section>
  );
}
