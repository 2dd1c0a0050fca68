import { lazy, Suspense, useState } from 'react';
import { useMutation } from 'urql';
import { graphql, getFragmentData, type FragmentType } from '../gql';
import { errorMessage, signInRequired } from '../graphql/errors';
import { navigateAway } from './navigateAway';

const CreateOrganizationDialog = lazy(async () => ({
  default: (await import('./CreateOrganizationDialog')).CreateOrganizationDialog,
}));

export const OrganizationSwitcher_ViewerFragment = graphql(`
  fragment OrganizationSwitcher_Viewer on Viewer {
    user {
      id
    }
    organization {
      id
      name
    }
    organizations {
      id
      name
    }
  }
`);

const SwitchOrganizationMutation = graphql(`
  mutation SwitchOrganization($input: SwitchOrganizationInput!) {
    switchOrganization(input: $input) {
      viewer {
        organization {
          id
        }
      }
    }
  }
`);

interface OrganizationSwitcherProps {
  viewer: FragmentType<typeof OrganizationSwitcher_ViewerFragment>;
}

/**
 * OrganizationSwitcher shows the current organization and moves the session
 * to another, or to a new sibling. An organization that does not accept how
 * the person signed in sends them to sign in the way it asks (the server's
 * signInUrl), which brings them back into it.
 */
export function OrganizationSwitcher({ viewer: viewerRef }: OrganizationSwitcherProps) {
  const viewer = getFragmentData(OrganizationSwitcher_ViewerFragment, viewerRef);
  const [{ fetching, error }, switchOrganization] = useMutation(SwitchOrganizationMutation);
  const [creating, setCreating] = useState(false);

  async function onSwitch(organizationId: string) {
    const result = await switchOrganization({ input: { organizationId } });
    const signIn = result.error && signInRequired(result.error);
    // A full reload leaves no data of the previous organization behind.
    if (signIn) navigateAway(signIn);
    else if (!result.error) navigateAway('/settings');
  }

  return (
    <div className="organization-switcher">
      <label className="field">
        <span>Organization</span>
        <select value={viewer.organization.id} disabled={fetching} onChange={(e) => onSwitch(e.target.value)}>
          {viewer.organizations.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      {error && !signInRequired(error) && (
        <p role="alert" className="field-error">
          {errorMessage(error)}
        </p>
      )}
      {viewer.user && (
        <button type="button" className="button-link" onClick={() => setCreating(true)}>
          New organization
        </button>
      )}
      {creating && (
        <Suspense>
          <CreateOrganizationDialog onClose={() => setCreating(false)} onCreated={onSwitch} />
        </Suspense>
      )}
    </div>
  );
}
