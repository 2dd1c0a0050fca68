import { useEffect, useRef } from 'react';
import { matchPath, Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { usePermissions } from '../viewer/permissions';
import { NoAccess } from './NoAccess';
import { settingsTabs } from './settingsTabs';

/**
 * SettingsPage is the Settings heading, the tabs the viewer may open, and
 * the open tab. A tab opened without its permission says so instead.
 */
export function SettingsPage() {
  const permissions = usePermissions();
  const { pathname } = useLocation();
  const tabs = settingsTabs.filter((tab) => permissions.has(tab.permission));
  const open = settingsTabs.find((tab) => matchPath(`/settings/${tab.path}/*`, pathname));
  const tabBar = useRef<HTMLElement>(null);

  // On a narrow screen the tab row scrolls sideways: keep the open tab in view.
  useEffect(() => {
    tabBar.current?.querySelector('[aria-current="page"]')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [open]);

  let body = <Outlet />;
  if (!open) {
    body = tabs[0] ? <Navigate to={tabs[0].path} replace /> : <NoAccess what="any settings" />;
  } else if (!permissions.has(open.permission)) {
    body = <NoAccess what={open.label} permission={open.permission} />;
  }

  return (
    <div className="settings">
      <h1>Settings</h1>
      {tabs.length > 0 && (
        <nav className="tabs" aria-label="Settings" ref={tabBar}>
          <ul>
            {tabs.map((tab) => (
              <li key={tab.path}>
                <NavLink to={tab.path}>{tab.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {body}
    </div>
  );
}
