/** SearchRules are the server's limits of a search term (Query.auditSearchRules). */
export interface SearchRules {
  minLettersInARow: number;
  maxLength: number;
}

/**
 * isSearchable tells whether the server searches term: at most maxLength
 * characters, with minLettersInARow letters or digits in a row. The rule's
 * shape mirrors the server's (audit.hasWordRun), its numbers come from the
 * server, so a term the server would refuse is never sent.
 */
export function isSearchable(term: string, rules: SearchRules): boolean {
  if ([...term].length > rules.maxLength) return false;
  let run = 0;
  for (const character of term) {
    run = /[\p{L}\p{Nd}]/u.test(character) ? run + 1 : 0;
    if (run >= rules.minLettersInARow) return true;
  }
  return false;
}

/** searchHint says what a search term needs, e.g. "Type at least 3 letters or digits in a row to search." */
export function searchHint(rules: SearchRules): string {
  return `Type at least ${rules.minLettersInARow} letters or digits in a row to search.`;
}
