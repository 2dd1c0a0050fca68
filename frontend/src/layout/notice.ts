/** noticeKey is where a notice waits, in this tab's session storage, for the next page. */
const noticeKey = 'orgtrail:notice';

/**
 * leaveNotice keeps message for the page this tab loads next, which shows it
 * (PageNotice): navigateAway leaves nothing of the current page behind, and a
 * message in the URL could be written by anyone who sends a link.
 */
export function leaveNotice(message: string) {
  try {
    sessionStorage.setItem(noticeKey, message);
  } catch {
    // Storage refused (private mode, quota): the notice is lost, nothing else.
  }
}

/** peekNotice returns the notice left for this page, if any. */
export function peekNotice(): string | null {
  try {
    return sessionStorage.getItem(noticeKey);
  } catch {
    return null;
  }
}

/** clearNotice forgets the notice once it has been shown. */
export function clearNotice() {
  try {
    sessionStorage.removeItem(noticeKey);
  } catch {
    // nothing to forget
  }
}
