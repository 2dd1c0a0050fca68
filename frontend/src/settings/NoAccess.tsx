interface NoAccessProps {
  /** what names what the viewer cannot see, e.g. "Audit Log". */
  what: string;
  permission?: string;
}

/** NoAccess tells the viewer plainly that their roles do not let them see something. */
export function NoAccess({ what, permission }: NoAccessProps) {
  return (
    <section className="callout" role="alert">
      <h2>You don’t have access to {what}</h2>
      <p>
        {permission ? (
          <>
            This needs the <code>{permission}</code> permission.{' '}
          </>
        ) : null}
        Ask an administrator of your organization for a role that grants it.
      </p>
    </section>
  );
}
