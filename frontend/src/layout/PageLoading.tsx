/**
 * PageLoading stands in for a page while its code loads on the first visit
 * (React Router's HydrateFallback for lazy routes).
 */
export function PageLoading() {
  return (
    <p className="page-loading muted" role="status">
      Loading…
    </p>
  );
}
