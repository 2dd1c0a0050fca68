interface PermissionListProps {
  permissions: ReadonlyArray<string>;
  /** catalogSize is how many permissions exist: holding them all reads "Every permission". */
  catalogSize: number;
  /** label names the list for assistive technology, e.g. "Permissions of nightly export". */
  label: string;
}

/** How many permissions show before the rest fold away behind "N more". */
const shown = 4;

/**
 * PermissionList shows what a key or role may do without letting a broad one
 * fill the table: every permission reads as such, a long list shows its first
 * few and folds the rest into a disclosure.
 */
export function PermissionList({ permissions, catalogSize, label }: PermissionListProps) {
  if (permissions.length === 0) return <span className="muted">None</span>;
  if (catalogSize > 0 && permissions.length >= catalogSize) return <>Every permission</>;
  const items = (list: ReadonlyArray<string>) =>
    list.map((p) => (
      <li key={p}>
        <code>{p}</code>
      </li>
    ));
  if (permissions.length <= shown + 1) {
    return (
      <ul className="plain-list" aria-label={label}>
        {items(permissions)}
      </ul>
    );
  }
  return (
    <div>
      <ul className="plain-list" aria-label={label}>
        {items(permissions.slice(0, shown))}
      </ul>
      <details className="more">
        <summary>{permissions.length - shown} more</summary>
        <ul className="plain-list" aria-label={`${label}, continued`}>
          {items(permissions.slice(shown))}
        </ul>
      </details>
    </div>
  );
}
