import { changesOf, formatValue, listDiff, type ListItem } from './changes';

interface ChangesDiffProps {
  details: Record<string, unknown>;
  /** onFindChanges searches the log for other events that changed field. */
  onFindChanges?: (field: string) => void;
}

function Items({ items }: { items: ListItem[] }) {
  if (items.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="diff-list">
      {items.map((item) => (
        <li key={item.text}>
          {item.status === 'removed' && (
            <del>
              <span className="visually-hidden">removed </span>
              {item.text}
            </del>
          )}
          {item.status === 'added' && (
            <ins>
              <span className="visually-hidden">added </span>
              {item.text}
            </ins>
          )}
          {item.status === 'kept' && item.text}
        </li>
      ))}
    </ul>
  );
}

/**
 * ChangesDiff shows an update's details.changes as a before/after diff: a
 * value struck out and its replacement, or, for a list, each element removed
 * or added. Each field offers to find the other events that changed it
 * (the search's changed: qualifier).
 */
export function ChangesDiff({ details, onFindChanges }: ChangesDiffProps) {
  const changes = changesOf(details);
  if (changes.length === 0) return null;
  return (
    <table className="changes">
      <caption>Changes</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => {
          const list = listDiff(c.from, c.to);
          return (
            <tr key={c.field}>
              <th scope="row">
                {c.field}
                {onFindChanges && (
                  <button
                    type="button"
                    className="button-link find-changes"
                    aria-label={`Find other changes of ${c.field}`}
                    onClick={() => onFindChanges(c.field)}
                  >
                    Find others
                  </button>
                )}
              </th>
              <td>{list ? <Items items={list.before} /> : <del>{formatValue(c.from)}</del>}</td>
              <td>{list ? <Items items={list.after} /> : <ins>{formatValue(c.to)}</ins>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
