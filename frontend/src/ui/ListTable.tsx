import type { ReactNode } from 'react';

interface ListTableProps<Item> {
  /** label names the table for assistive technology, e.g. "Secrets". */
  label: string;
  columns: ReadonlyArray<string>;
  items: ReadonlyArray<Item>;
  /**
   * actionsColumn adds a last column for each row's buttons; its header is
   * read out as "Actions" but not shown. On unless the rows have no actions.
   */
  actionsColumn?: boolean;
  /** empty is shown instead of the table when there are no items; without it the table shows with no rows. */
  empty?: ReactNode;
  /** children renders one item's row (a <tr> with a key). */
  children: (item: Item) => ReactNode;
}

/** ListTable is a list of items as a table that scrolls sideways on narrow screens. */
export function ListTable<Item>({
  label,
  columns,
  items,
  actionsColumn = true,
  empty,
  children,
}: ListTableProps<Item>) {
  if (items.length === 0 && empty !== undefined) return empty;
  return (
    <div className="table-scroll">
      <table aria-label={label} className={actionsColumn ? 'with-actions' : undefined}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actionsColumn && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{items.map((item) => children(item))}</tbody>
      </table>
    </div>
  );
}
