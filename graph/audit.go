package graph

import (
	"context"
	"errors"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/audit"
)

// auditFilter maps the GraphQL filter to the domain's; validation is the domain's.
func auditFilter(f *model.AuditEventFilter) audit.Filter {
	if f == nil {
		return audit.Filter{}
	}
	out := audit.Filter{
		Search:       stringOr(f.Search, ""),
		TimeZone:     stringOr(f.TimeZone, ""),
		From:         f.From.Value(),
		To:           f.To.Value(),
		ActorID:      stringOr(f.ActorID, ""),
		ResourceType: stringOr(f.ResourceType, ""),
		ResourceID:   stringOr(f.ResourceID, ""),
		RequestID:    stringOr(f.RequestID, ""),
		IPAddress:    stringOr(f.IPAddress, ""),
		Query:        stringOr(f.Query, ""),
	}
	if c := f.Category.Value(); c != nil {
		out.Category = *c
	}
	if a := f.Action.Value(); a != nil {
		out.Action = *a
	}
	if r := f.Range.Value(); r != nil {
		out.Range = audit.DateRange(*r)
	}
	return out
}

// auditQueryCheck answers a parsed query: its clauses, or the grammar's
// refusal as data (other errors stay errors).
func auditQueryCheck(q audit.Query, err error) (*model.AuditQueryCheck, error) {
	var qe *audit.QueryError
	if errors.As(err, &qe) {
		return &model.AuditQueryCheck{Clauses: []model.AuditQueryClause{},
			Error: &model.AuditQueryError{Message: qe.Message, Token: qe.Token, Start: qe.Start, End: qe.End}}, nil
	}
	if err != nil {
		return nil, err
	}
	out := &model.AuditQueryCheck{Clauses: make([]model.AuditQueryClause, len(q.Clauses))}
	for i, c := range q.Clauses {
		out.Clauses[i] = model.AuditQueryClause{Key: nonEmpty(c.Key), Negated: c.Negated, Value: c.Value, Start: c.Start, End: c.End}
	}
	return out, nil
}

func auditTimeline(t audit.Timeline) *model.AuditTimeline {
	out := &model.AuditTimeline{From: t.From, To: t.To, Interval: t.Interval, Total: t.Total,
		Buckets: make([]model.AuditTimelineBucket, len(t.Buckets))}
	for i, b := range t.Buckets {
		cats := make([]model.AuditTimelineCount, len(b.Categories))
		for j, c := range b.Categories {
			cats[j] = model.AuditTimelineCount{Category: c.Category, Count: c.Count}
		}
		out.Buckets[i] = model.AuditTimelineBucket{Start: b.Start, End: b.End, Count: b.Count, Categories: cats}
	}
	return out
}

func auditConnection(p audit.Page) *model.AuditEventConnection {
	conn := &model.AuditEventConnection{Edges: make([]model.AuditEventEdge, len(p.Events)),
		PageInfo: &model.PageInfo{HasNextPage: p.HasNextPage}}
	for i, e := range p.Events {
		conn.Edges[i] = model.AuditEventEdge{Cursor: p.Cursors[i], Node: auditEventModel(e)}
	}
	if p.EndCursor != "" {
		conn.PageInfo.EndCursor = &p.EndCursor
	}
	return conn
}

func auditEventModel(e audit.Event) *model.AuditEvent {
	details := map[string]any(e.Details)
	if details == nil {
		details = map[string]any{}
	}
	return &model.AuditEvent{
		ID:          e.ID.String(),
		OccurredAt:  e.OccurredAt,
		Category:    e.Action.Category(),
		Action:      e.Action,
		ActionLabel: e.Action.Label(),
		Actor: &model.AuditActor{Type: e.ActorType, ID: nonEmpty(e.ActorID), Email: nonEmpty(e.ActorEmail),
			Name: nonEmpty(e.ActorName)},
		Resource:  &model.AuditResource{Type: e.ResourceType, ID: e.ResourceID, Name: nonEmpty(e.ResourceName)},
		Details:   details,
		IPAddress: e.IPAddress,
		UserAgent: nonEmpty(e.UserAgent),
		RequestID: nonEmpty(e.RequestID),
	}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// auditEventBatches maps the live tail's batches to the schema's events,
// until the tail ends the subscription or the client leaves.
func auditEventBatches(ctx context.Context, in <-chan []audit.Event) <-chan []model.AuditEvent {
	out := make(chan []model.AuditEvent)
	go func() {
		defer close(out)
		for batch := range in {
			events := make([]model.AuditEvent, len(batch))
			for i, e := range batch {
				events[i] = *auditEventModel(e)
			}
			select {
			case out <- events:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}
