import type { Ref } from 'react';
import type { AuditFilterParams, PivotParams } from './useAuditFilters';

interface AuditPivotChipsProps {
  filters: AuditFilterParams;
  onRemove: (patch: Partial<PivotParams>) => void;
  listRef?: Ref<HTMLUListElement>;
}

/**
 * AuditPivotChips shows the pivots the table is narrowed to (an actor, a
 * resource, a request, an IP address), each a chip that removes it. They
 * live in the URL with the other filters.
 */
export function AuditPivotChips({ filters, onRemove, listRef }: AuditPivotChipsProps) {
  const chips: { name: string; value: string; clear: Partial<PivotParams> }[] = [];
  if (filters.actor) chips.push({ name: 'Actor', value: filters.actorLabel || filters.actor, clear: { actor: '', actorLabel: '' } });
  if (filters.resource) {
    chips.push({ name: 'Resource', value: filters.resourceLabel || filters.resource, clear: { resource: '', resourceLabel: '' } });
  }
  if (filters.request) chips.push({ name: 'Request', value: filters.request, clear: { request: '' } });
  if (filters.ip) chips.push({ name: 'IP address', value: filters.ip, clear: { ip: '' } });
  if (chips.length === 0) return null;
  return (
    <ul className="pivot-chips" aria-label="Narrowed to" ref={listRef} tabIndex={-1}>
      {chips.map((c) => (
        <li key={c.name} className="pivot-chip">
          <span>
            {c.name}: <strong>{c.value}</strong>
          </span>
          <button type="button" className="button-icon" aria-label={`Remove ${c.name}: ${c.value}`} onClick={() => onRemove(c.clear)}>
            <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
