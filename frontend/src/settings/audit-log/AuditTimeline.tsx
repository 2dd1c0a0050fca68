import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AuditCategory, AuditEventFilter, AuditTimelineInterval } from '../../gql/graphql';
import { errorMessage } from '../../graphql/errors';
import type { CategoryLabels } from './categoryLabels';

const AuditTimelineQuery = graphql(`
  query AuditTimeline($filter: AuditEventFilter) {
    auditTimeline(filter: $filter) {
      from
      to
      interval
      total
      buckets {
        start
        end
        count
        categories {
          category
          count
        }
      }
    }
  }
`);

interface AuditTimelineProps {
  filter: AuditEventFilter;
  categoryLabels: CategoryLabels;
  /** onNarrow narrows the range to [from, to), bucket bounds. */
  onNarrow: (from: Date, to: Date) => void;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** bucketName names a bucket as a person would: a day, a week, a month, or a span of time. */
export function bucketName(start: string, end: string, interval: AuditTimelineInterval): string {
  const s = new Date(start);
  switch (interval) {
    case 'DAY':
      return dayFormat.format(s);
    case 'WEEK':
      return `Week of ${dayFormat.format(s)}`;
    case 'MONTH':
      return monthFormat.format(s);
    default:
      return timeFormat.formatRange(s, new Date(end));
  }
}

/**
 * AuditTimeline is the histogram above the Audit Log's table: how many
 * events the current filter selects over its range, each bar stacked by
 * category, counted by the server with the same filter as the table
 * (Query.auditTimeline). Hovering or focusing a bar says its count;
 * clicking a bar, or dragging across several, narrows the range to them.
 * The bars are one tab stop: arrow keys move between them, Enter narrows.
 */
export function AuditTimeline({ filter, categoryLabels, onNarrow }: AuditTimelineProps) {
  const [{ data, error }] = useQuery({ query: AuditTimelineQuery, variables: { filter }, requestPolicy: 'cache-and-network' });
  const [pointed, setPointed] = useState<number | null>(null);
  const [focused, setFocused] = useState(0);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const bars = useRef<HTMLDivElement>(null);
  const timeline = data?.auditTimeline;
  const order = [...categoryLabels.keys()];

  if (error) {
    return (
      <p className="audit-timeline-state" role="alert">
        Could not count events over time. {errorMessage(error)}
      </p>
    );
  }
  if (!timeline) {
    return <div className="audit-timeline audit-timeline-loading" role="status" aria-label="Counting events over time…" />;
  }

  const { buckets, interval } = timeline;
  const highest = Math.max(1, ...buckets.map((b) => b.count));
  // A bar pointed at in an earlier timeline (before a narrowing, with more
  // buckets) may be past this one's end.
  const inRange = (i: number | null) => (i !== null && i < buckets.length ? i : null);
  const shown = inRange(pointed) ?? inRange(drag ? drag.to : null);
  const describe = (i: number) => {
    const b = buckets[i]!;
    const parts = b.categories.map((c) => `${categoryLabels.get(c.category)?.shortLabel ?? c.category} ${c.count.toLocaleString()}`);
    return `${bucketName(b.start, b.end, interval)}: ${b.count.toLocaleString()} ${b.count === 1 ? 'event' : 'events'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  };
  const indexAt = (clientX: number) => {
    const rect = bars.current!.getBoundingClientRect();
    return Math.min(buckets.length - 1, Math.max(0, Math.floor(((clientX - rect.left) / rect.width) * buckets.length)));
  };
  const narrow = (a: number, b: number) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    onNarrow(new Date(buckets[lo]!.start), new Date(buckets[hi]!.end));
  };

  function onPointerDown(e: PointerEvent<HTMLDivElement>) {
    if (e.button !== 0) return;
    const i = indexAt(e.clientX);
    bars.current?.setPointerCapture?.(e.pointerId);
    setDrag({ from: i, to: i });
  }
  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const i = indexAt(e.clientX);
    setPointed(i);
    if (drag && drag.to !== i) setDrag({ ...drag, to: i });
  }
  function onPointerUp(e: PointerEvent<HTMLDivElement>) {
    if (!drag) return;
    const to = indexAt(e.clientX);
    setDrag(null);
    narrow(drag.from, to);
  }
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = { ArrowLeft: focused - 1, ArrowRight: focused + 1, Home: 0, End: buckets.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = Math.min(buckets.length - 1, Math.max(0, moves[e.key]!));
    setFocused(next);
    bars.current?.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
  }
  const selected = (i: number) => drag !== null && i >= Math.min(drag.from, drag.to) && i <= Math.max(drag.from, drag.to);

  return (
    <figure className="audit-timeline" aria-labelledby="audit-timeline-caption">
      <figcaption id="audit-timeline-caption" className="audit-timeline-caption">
        <span>
          {timeline.total.toLocaleString()} {timeline.total === 1 ? 'event' : 'events'} from {timeFormat.format(new Date(timeline.from))} to{' '}
          {timeFormat.format(new Date(timeline.to))}
        </span>
        <span className="muted" aria-hidden="true">
          {shown !== null ? describe(shown) : 'Click a bar or drag across bars to narrow the range'}
        </span>
      </figcaption>
      <div
        ref={bars}
        className="timeline-bars"
        role="group"
        aria-label={`Events per ${interval.toLowerCase().replace(/_/g, ' ')}; Enter narrows the range to a bar`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setPointed(null)}
        onKeyDown={onKeyDown}
      >
        {buckets.map((b, i) => (
          <button
            key={b.start}
            type="button"
            className={`timeline-bar${selected(i) ? ' selected' : ''}`}
            tabIndex={i === focused ? 0 : -1}
            aria-label={describe(i)}
            title={describe(i)}
            onFocus={() => setFocused(i)}
            onClick={(e) => {
              if (e.detail === 0) narrow(i, i); // the keyboard; a pointer narrows on release
            }}
          >
            <span className="timeline-stack" style={{ height: `${(b.count / highest) * 100}%` }}>
              {b.categories.map((c) => (
                <span
                  key={c.category}
                  className={`timeline-segment category-${order.indexOf(c.category as AuditCategory)}`}
                  style={{ flexGrow: c.count }}
                />
              ))}
            </span>
          </button>
        ))}
      </div>
      <div className="timeline-axis muted" aria-hidden="true">
        <span>{bucketName(buckets[0]!.start, buckets[0]!.end, interval)}</span>
        <span>max {highest.toLocaleString()}</span>
        <span>{bucketName(buckets.at(-1)!.start, buckets.at(-1)!.end, interval)}</span>
      </div>
      <ul className="timeline-legend" aria-label="Categories">
        {order
          .filter((c) => buckets.some((b) => b.categories.some((x) => x.category === c)))
          .map((c) => (
            <li key={c}>
              <span className={`timeline-swatch category-${order.indexOf(c)}`} aria-hidden="true" /> {categoryLabels.get(c)?.label ?? c}
            </li>
          ))}
      </ul>
    </figure>
  );
}
