package graph

import (
	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/logstreams"
)

// logStreamModel maps a stored stream to the API's: its settings and the
// names of its credential fields, never the sealed credentials. Its lag is
// resolved on demand (LogStream.lagEvents).
func logStreamModel(s logstreams.Stream) *model.LogStream {
	config := map[string]any(s.Config)
	if config == nil {
		config = map[string]any{}
	}
	m := &model.LogStream{ID: s.ID.String(), Name: s.Name, Destination: model.LogStreamDestination(s.Destination),
		Format: model.LogStreamFormat(s.Format), Config: config, CredentialFields: append([]string{}, s.CredentialFields...),
		Categories: []audit.Category{}, Actions: []audit.Action{}, State: model.LogStreamState(s.State()),
		NextSequence: int(s.NextSequence), LastDeliveryAt: s.LastDeliveryAt, LastError: s.LastError,
		LastErrorAt: s.LastErrorAt, FailureReason: s.FailureReason, DeliveredEvents: int(s.DeliveredEvents),
		ResentEvents: int(s.ResentEvents), CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
	for _, c := range s.Categories {
		m.Categories = append(m.Categories, audit.Category(c))
	}
	for _, a := range s.Actions {
		m.Actions = append(m.Actions, audit.Action(a))
	}
	if s.State() == logstreams.Retrying {
		at := s.NextAttemptAt
		m.NextAttemptAt = &at
	}
	return m
}

func logStreamFilter(f *model.LogStreamFilterInput) logstreams.Filter {
	if f == nil {
		return logstreams.Filter{}
	}
	return logstreams.Filter{Categories: f.Categories.Value(), Actions: f.Actions.Value()}
}

func logStreamDestinationModel(d logstreams.DestinationInfo) model.LogStreamDestinationInfo {
	formats := make([]model.LogStreamFormat, len(d.Formats))
	for i, f := range d.Formats {
		formats[i] = model.LogStreamFormat(f)
	}
	return model.LogStreamDestinationInfo{Destination: model.LogStreamDestination(d.Destination), Label: d.Label,
		Formats: formats, ConfigFields: connectorFieldModels(d.Config), CredentialFields: connectorFieldModels(d.Credentials)}
}

func nonEmptyString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
