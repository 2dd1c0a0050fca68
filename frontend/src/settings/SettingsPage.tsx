import { NavLink, Outlet } from 'react-router';
import { settingsTabs } from './settingsTabs';

/** SettingsPage is the Settings heading, its tabs, and the open tab. */
export function SettingsPage() {
  return (
    <div className="settings">
      <h1>Settings</h1>
      <nav className="tabs" aria-label="Settings">
        <ul>
          {settingsTabs.map((tab) => (
            <li key={tab.path}>
              <NavLink to={tab.path}>{tab.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
