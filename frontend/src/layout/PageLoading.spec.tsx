import { render, screen } from '@testing-library/react';
import { PageLoading } from './PageLoading';

describe('PageLoading', () => {
  it('says the page is loading, politely', () => {
    render(<PageLoading />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
  });
});
