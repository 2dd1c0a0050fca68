import { screen } from '@testing-library/react';
import { mockClient } from './test/mockClient';
import { renderRoute } from './test/renderRoute';
import { catalog, eventPage, auditEvent } from './settings/audit-log/auditFixtures';
import { AuditLogPage } from './settings/audit-log/AuditLogPage';
it('debug', async () => {
  let attempts = 0;
  const { calls } = mockClient({});
  const m = mockClient({
    AuditLogPage: () => ({ data: { auditCategories: catalog } }),
    AuditEventBatch: () => { attempts++; console.log('attempt', attempts); return attempts === 1 ? { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL' } }] } : eventPage([auditEvent('e1')]) },
  });
  renderRoute(AuditLogPage, { url: '/x', client: m.client });
  await new Promise((r) => setTimeout(r, 300));
  console.log(attempts, calls.length, document.querySelector('tbody')?.innerHTML);
  screen.getByText('nothing');
});
