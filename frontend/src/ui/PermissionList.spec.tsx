import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PermissionList } from './PermissionList';

const catalog = ['a:read', 'a:write', 'b:read', 'b:write', 'c:read', 'c:write', 'd:read'];

describe('PermissionList', () => {
  it('says "Every permission" for a key holding the whole catalog', () => {
    render(<PermissionList permissions={catalog} catalogSize={catalog.length} label="Permissions of admin" />);
    expect(screen.getByText('Every permission')).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('lists a short set in full', () => {
    render(<PermissionList permissions={['a:read', 'b:read']} catalogSize={catalog.length} label="Permissions of k" />);
    expect(screen.getByRole('list', { name: 'Permissions of k' })).toHaveTextContent('a:readb:read');
  });

  it('folds a long set behind "N more"', async () => {
    const six = catalog.slice(0, 6);
    render(<PermissionList permissions={six} catalogSize={catalog.length} label="Permissions of k" />);
    expect(screen.getByRole('list', { name: 'Permissions of k' }).children).toHaveLength(4);
    const more = screen.getByText('2 more');
    await userEvent.click(more);
    expect(screen.getByRole('list', { name: 'Permissions of k, continued' })).toHaveTextContent('c:readc:write');
  });

  it('says None for an empty set', () => {
    render(<PermissionList permissions={[]} catalogSize={catalog.length} label="Permissions of k" />);
    expect(screen.getByText('None')).toBeInTheDocument();
  });
});
