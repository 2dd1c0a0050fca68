/**
 * navigateAway loads path as a new page, leaving nothing of the current
 * session's data behind (after signing out, deleting or switching the
 * organization). Tests replace this module.
 */
export function navigateAway(path: string) {
  window.location.assign(path);
}
