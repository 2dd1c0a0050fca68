import { Link } from 'react-router';

/** NotFoundPage answers a path the app does not have. */
export function NotFoundPage() {
  return (
    <section className="centered">
      <h1>Page not found</h1>
      <p>
        <Link to="/settings">Go to Settings</Link>
      </p>
    </section>
  );
}
