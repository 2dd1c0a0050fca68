import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { AuditLogExport, exportPath } from './AuditLogExport';

describe('AuditLogExport', () => {
  it('downloads the events of the current filter in either format', () => {
    render(
      <MemoryRouter>
        <AuditLogExport filter={{ category: 'SECRETS', range: 'TODAY', timeZone: 'Europe/Paris' }} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
      'href',
      '/api/audit-log/export?format=csv&category=SECRETS&range=TODAY&timeZone=Europe%2FParis',
    );
    expect(screen.getByRole('link', { name: 'Export NDJSON' })).toHaveAttribute('download');
    expect(screen.getByRole('link', { name: 'Log streams' })).toHaveAttribute('href', '/settings/audit-log/streams');
  });

  it('leaves out what the filter does not set', () => {
    expect(exportPath({ search: '', action: null }, 'ndjson')).toBe('/api/audit-log/export?format=ndjson');
  });
});
