import { relativeTime } from './RelativeTime';

const now = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();
const day = 24 * 3600;

describe('relativeTime', () => {
  it('reads an invitation valid for 7 days as “in 7 days” right after it was sent', () => {
    expect(relativeTime(at(7 * day - 2), now)).toBe('in 7 days');
    expect(relativeTime(at(7 * day), now)).toBe('in 7 days');
  });

  it('rounds to the nearest whole unit, ahead and ago', () => {
    expect(relativeTime(at(6 * day + 20 * 3600), now)).toBe('in 7 days');
    expect(relativeTime(at(-(5 * 60 + 10)), now)).toBe('5 minutes ago');
    expect(relativeTime(at(-(2 * 3600 + 40 * 60)), now)).toBe('3 hours ago');
    expect(relativeTime(at(14 * day), now)).toBe('in 14 days');
    expect(relativeTime(at(-3), now)).toBe('3 seconds ago');
  });
});
