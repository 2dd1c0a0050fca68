import type { ReactNode } from 'react';

interface PageSectionProps {
  /** headingId names the section by its heading, for assistive technology. */
  headingId: string;
  title: string;
  /** description says in a sentence what the page holds. */
  description: ReactNode;
  /** action is the page's main button, e.g. "Create secret", shown beside the heading. */
  action?: ReactNode;
  children: ReactNode;
}

/** PageSection is one Settings tab: its heading and description, an optional main action, and its content. */
export function PageSection({ headingId, title, description, action, children }: PageSectionProps) {
  return (
    <section aria-labelledby={headingId}>
      <header className="page-header">
        <div>
          <h2 id={headingId}>{title}</h2>
          <p className="muted">{description}</p>
        </div>
        {action}
      </header>
      {children}
    </section>
  );
}
