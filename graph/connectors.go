package graph

import (
	"fmt"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/connectors"
)

// connectorModel maps a stored connector to the API's: its configuration and
// the names of its credential fields, never the sealed credentials.
func connectorModel(c connectors.Connector) *model.Connector {
	config := map[string]any(c.Config)
	if config == nil {
		config = map[string]any{}
	}
	fields := []string(c.CredentialFields)
	if fields == nil {
		fields = []string{}
	}
	m := &model.Connector{ID: c.ID.String(), Name: c.Name, Type: model.ConnectorType(c.Type), Config: config,
		CredentialFields: fields, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if last, ok := c.LastTest(); ok {
		m.LastTest = &model.ConnectorTest{Ok: last.OK, Message: last.Message, TestedAt: last.TestedAt,
			DurationMs: int(last.Duration.Milliseconds())}
	}
	return m
}

func connectorTypeModel(t connectors.TypeInfo) model.ConnectorTypeInfo {
	return model.ConnectorTypeInfo{Type: model.ConnectorType(t.Type), Label: t.Label, Testable: t.Testable,
		ConfigFields: connectorFieldModels(t.Config), CredentialFields: connectorFieldModels(t.Credentials)}
}

func connectorFieldModels(fields []connectors.Field) []model.ConnectorField {
	out := make([]model.ConnectorField, len(fields))
	for i, f := range fields {
		options := f.Options
		if options == nil {
			options = []string{}
		}
		out[i] = model.ConnectorField{Name: f.Name, Label: f.Label, Description: f.Description,
			Kind: model.ConnectorFieldKind(f.Kind), Required: f.Required, Options: options}
		if f.Default != nil {
			d := fmt.Sprint(f.Default)
			out[i].Default = &d
		}
	}
	return out
}
