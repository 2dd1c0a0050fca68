import { NavLink } from 'react-router';
import { graphql, getFragmentData, type FragmentType } from '../gql';
import { SignOutButton } from './SignOutButton';

export const Sidebar_OrganizationFragment = graphql(`
  fragment Sidebar_Organization on Organization {
    id
    name
  }
`);

interface SidebarProps {
  organization: FragmentType<typeof Sidebar_OrganizationFragment>;
}

/** Sidebar is the app's left column: the organization, the main navigation and sign-out. */
export function Sidebar({ organization: organizationRef }: SidebarProps) {
  const organization = getFragmentData(Sidebar_OrganizationFragment, organizationRef);
  return (
    <aside className="sidebar">
      <div className="brand">Orgtrail</div>
      <p className="organization-name" title="Current organization">
        {organization.name}
      </p>
      <nav aria-label="Main">
        <ul>
          <li>
            <NavLink to="/settings">Settings</NavLink>
          </li>
        </ul>
      </nav>
      <SignOutButton />
    </aside>
  );
}
