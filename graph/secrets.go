package graph

import (
	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// secretModel maps a stored secret to the API's; the ciphertext has no field
// to go to.
func secretModel(s secrets.Secret) *model.Secret {
	return &model.Secret{ID: s.ID.String(), Name: s.Name, Description: s.Description,
		CreatedAt: s.CreatedAt, CreatedBy: authorModel(s.CreatedBy),
		UpdatedAt: s.UpdatedAt, UpdatedBy: authorModel(s.UpdatedBy)}
}

func authorModel(a secrets.Author) *model.AuditActor {
	m := &model.AuditActor{Type: a.Type}
	if m.Type == "" {
		m.Type = audit.ActorSystem
	}
	if a.ID != "" {
		m.ID = &a.ID
	}
	if a.Email != "" {
		m.Email = &a.Email
	}
	if a.Name != "" {
		m.Name = &a.Name
	}
	return m
}
