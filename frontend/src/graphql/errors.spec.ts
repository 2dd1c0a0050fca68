import { asSentence } from './errors';

describe('asSentence', () => {
  it.each([
    ['a role named "Support" already exists', 'A role named "Support" already exists.'],
    ['search needs at least 3 letters or digits in a row', 'Search needs at least 3 letters or digits in a row.'],
    ['this invitation has expired; ask for a new one', 'This invitation has expired; ask for a new one.'],
    ['internal error', 'Internal error.'],
    ['Settings saved.', 'Settings saved.'],
    ['is it there?', 'Is it there?'],
    // A name or an address is kept as written.
    ['bob@acme.test already has a pending invitation', 'bob@acme.test already has a pending invitation.'],
    ['expiresAt must be in the future', 'expiresAt must be in the future.'],
    ['"Admin" is taken', '"Admin" is taken.'],
    ['  name is required ', 'Name is required.'],
  ])('makes %j read %j', (message, sentence) => {
    expect(asSentence(message)).toBe(sentence);
  });
});
