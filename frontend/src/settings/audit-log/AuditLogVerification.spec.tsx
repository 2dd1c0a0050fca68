import { render, screen } from '@testing-library/react';
import { Provider } from 'urql';
import { mockClient, type Answer } from '../../test/mockClient';
import { AuditLogVerification, bundlePath } from './AuditLogVerification';

function renderVerification(answer: Answer, filter = {}) {
  const { client } = mockClient({ AuditLogVerification: () => answer });
  render(
    <Provider value={client}>
      <AuditLogVerification filter={filter} />
    </Provider>,
  );
}

describe('AuditLogVerification', () => {
  it('says through when and how many events the signed log covers', async () => {
    renderVerification({ data: { auditLogCheckpoint: { size: 10006, createdAt: '2026-12-03T12:00:00Z' } } });
    const status = await screen.findByText(/^Verified through/);
    expect(status).toHaveTextContent(/^Verified through .+ \(10,006 events\)$/);
    expect(status.querySelector('time')).toHaveAttribute('dateTime', '2026-12-03T12:00:00Z');
  });

  it('says so when no event is in the signed log yet', async () => {
    renderVerification({ data: { auditLogCheckpoint: null } });
    expect(await screen.findByText('No event is in the signed log yet.')).toBeInTheDocument();
  });

  it('downloads the verification bundle of the current filter', async () => {
    renderVerification({ data: { auditLogCheckpoint: null } }, { category: 'SECRETS', range: 'LAST_7_DAYS', timeZone: 'Europe/Paris' });
    const link = await screen.findByRole('link', { name: 'Download verification bundle' });
    expect(link).toHaveAttribute('href', '/api/audit-log/bundle?category=SECRETS&range=LAST_7_DAYS&timeZone=Europe%2FParis');
    expect(link).toHaveAttribute('download');
  });

  it('asks for the whole log when nothing is filtered', () => {
    expect(bundlePath({})).toBe('/api/audit-log/bundle');
    expect(bundlePath({ search: 'a b&c' })).toBe('/api/audit-log/bundle?search=a+b%26c');
  });
});
