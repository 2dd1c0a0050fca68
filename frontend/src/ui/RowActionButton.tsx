interface RowActionButtonProps {
  /** label is what the button shows, e.g. "Delete". */
  label: string;
  /** target names the row it acts on, e.g. a key's name or "of ada@example.com". */
  target: string;
  onClick: () => void;
}

/**
 * RowActionButton is a secondary button in a list row. The target is read out
 * but not shown, so that each row's "Delete" has a name of its own.
 */
export function RowActionButton({ label, target, onClick }: RowActionButtonProps) {
  return (
    <button type="button" className="button-secondary" onClick={onClick}>
      {label} <span className="visually-hidden">{target}</span>
    </button>
  );
}
