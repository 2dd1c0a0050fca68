package graph

import (
	"time"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/accesskeys"
)

// accessKeyModel maps a stored key to the API's; the hash has no field to go to.
func accessKeyModel(k accesskeys.Listed) *model.APIAccessKey {
	perms := []string(k.Permissions)
	if perms == nil {
		perms = []string{}
	}
	m := &model.APIAccessKey{ID: k.ID.String(), Name: k.Name, Prefix: k.Prefix, Permissions: perms,
		Status: model.APIAccessKeyStatus(k.Status(time.Now())), CreatedAt: k.CreatedAt, UpdatedAt: k.UpdatedAt,
		ExpiresAt: k.ExpiresAt, LastUsedAt: k.LastUsedAt}
	if k.CreatedByUserID != nil {
		m.CreatedBy = &model.User{ID: k.CreatedByUserID.String(), Email: k.CreatedByEmail, Name: k.CreatedByName}
	}
	return m
}
