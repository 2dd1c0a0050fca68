import { NavLink } from 'react-router';
import { graphql, getFragmentData, type FragmentType } from '../gql';
import { OrganizationSwitcher } from './OrganizationSwitcher';
import { SignOutButton } from './SignOutButton';

export const Sidebar_ViewerFragment = graphql(`
  fragment Sidebar_Viewer on Viewer {
    user {
      email
    }
    ...OrganizationSwitcher_Viewer
  }
`);

interface SidebarProps {
  viewer: FragmentType<typeof Sidebar_ViewerFragment>;
}

/** Sidebar is the app's left column: the organization switcher, the main navigation and sign-out. */
export function Sidebar({ viewer: viewerRef }: SidebarProps) {
  const viewer = getFragmentData(Sidebar_ViewerFragment, viewerRef);
  return (
    <aside className="sidebar">
      <div className="brand">Orgtrail</div>
      <OrganizationSwitcher viewer={viewer} />
      <nav aria-label="Main">
        <ul>
          <li>
            <NavLink to="/settings">Settings</NavLink>
          </li>
        </ul>
      </nav>
      <div className="sign-out">
        {viewer.user && <p className="muted">{viewer.user.email}</p>}
        <SignOutButton />
      </div>
    </aside>
  );
}
