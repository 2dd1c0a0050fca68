/**
 * SearchSyntax explains the search's qualifiers, folded away until asked
 * for. The grammar itself is the server's (server/audit/searchquery.go).
 */
export function SearchSyntax() {
  return (
    <details className="search-syntax">
      <summary>Search syntax</summary>
      <dl>
        <dt>
          <code>word</code>, <code>"two words"</code>
        </dt>
        <dd>text of the actor, action, category, resource or details (all words must match)</dd>
        <dt>
          <code>actor:ada@example.com</code>
        </dt>
        <dd>by the actor’s email or id</dd>
        <dt>
          <code>action:created_role</code>, <code>category:rbac</code>
        </dt>
        <dd>an action or a category, by name or label</dd>
        <dt>
          <code>resource:role</code>, <code>resource:role/&lt;id&gt;</code>
        </dt>
        <dd>a kind of resource, or one resource</dd>
        <dt>
          <code>ip:203.0.113.7</code>, <code>ip:10.0.0.0/8</code>, <code>request:&lt;id&gt;</code>
        </dt>
        <dd>a client address or network, a request</dd>
        <dt>
          <code>after:2026-11-01</code>, <code>before:2026-11-03T18:00</code>
        </dt>
        <dd>in your time zone; after includes, before excludes</dd>
        <dt>
          <code>changed:signInMethods</code>, <code>changed:permissions=secrets:write</code>
        </dt>
        <dd>a field an update changed, and its new value (or a value its new list holds)</dd>
        <dt>
          <code>-</code>
        </dt>
        <dd>
          before any term, excludes it: <code>-actor:bot@example.com</code>
        </dd>
      </dl>
      <p className="muted">The same qualifier twice means either; different ones must all match.</p>
    </details>
  );
}
