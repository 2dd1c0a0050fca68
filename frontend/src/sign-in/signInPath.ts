/** isLocalPath accepts only paths on this site, so ?next= cannot send anyone elsewhere. */
export function isLocalPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}

/** signInPath is the sign-in page that returns to next afterwards. */
export function signInPath(next: string): string {
  return next === '/' || !isLocalPath(next) ? '/sign-in' : `/sign-in?${new URLSearchParams({ next })}`;
}
