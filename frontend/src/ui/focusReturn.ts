/** focusedElement is the element holding the keyboard focus, or null when none does (the focus is on the body). */
export function focusedElement(): HTMLElement | null {
  const element = document.activeElement;
  return element instanceof HTMLElement && element !== document.body && element.isConnected ? element : null;
}

/**
 * pageHeadingFor is where the focus goes when the element it should go back
 * to is gone (the row a dialog deleted): the heading of the open tab, or the
 * page's heading.
 */
export function pageHeadingFor(element: HTMLElement | null): HTMLElement | null {
  const page = element?.closest('main') ?? document.querySelector('main');
  return page?.querySelector<HTMLElement>('h2') ?? page?.querySelector<HTMLElement>('h1') ?? null;
}

/**
 * returnFocus gives the focus back to opener, the element that had it before
 * a dialog opened, once the dialog is gone, so a keyboard user goes on from
 * where they were rather than from the top of the page. The browser does so
 * when a modal dialog closes, but not when it is removed, nor when the opener
 * itself goes away with the change the dialog made: then the focus goes to
 * fallback. The opener is watched until the focus moves elsewhere, as it may
 * go only when the list it is in is fetched again.
 */
export function returnFocus(opener: HTMLElement | null, fallback: HTMLElement | null) {
  queueMicrotask(() => {
    if (focusedElement()) {
      if (focusedElement() === opener && opener) watch(opener, fallback);
      return;
    }
    if (opener?.isConnected) {
      opener.focus();
      watch(opener, fallback);
    } else {
      focusHeading(fallback);
    }
  });
}

/** watch moves the focus from element to fallback if element leaves the page while it has the focus. */
function watch(element: HTMLElement, fallback: HTMLElement | null) {
  const observer = new MutationObserver(() => {
    if (focusedElement()) return;
    stop();
    if (element.isConnected) element.focus();
    else focusHeading(fallback);
  });
  function stop() {
    observer.disconnect();
    document.removeEventListener('focusin', stop, true);
    document.removeEventListener('pointerdown', stop, true);
  }
  observer.observe(document.body, { childList: true, subtree: true });
  document.addEventListener('focusin', stop, true);
  document.addEventListener('pointerdown', stop, true);
}

/** focusHeading focuses heading, which a script may focus but the Tab key does not stop on. */
function focusHeading(heading: HTMLElement | null) {
  if (!heading?.isConnected) return;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
}
