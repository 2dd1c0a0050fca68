package scim

import "time"

// timeFormat is how meta dates are written: RFC 3339, UTC, to the microsecond
// PostgreSQL keeps.
const timeFormat = "2006-01-02T15:04:05.999999Z07:00"

func (s *Service) meta(resourceType, endpoint, id string, created, modified time.Time) doc {
	return doc{"resourceType": resourceType, "created": created.UTC().Format(timeFormat),
		"lastModified": modified.UTC().Format(timeFormat), "location": s.baseURL + endpoint + "/" + id}
}

// RenderUser returns a user as a SCIM User resource. The password is never
// there: it is not stored.
func (s *Service) RenderUser(u User, withGroups bool) doc {
	d := u.doc()
	schemas := []any{UserSchema}
	if _, ok := d[EnterpriseSchema]; ok {
		schemas = append(schemas, EnterpriseSchema)
	}
	d["schemas"] = schemas
	d["id"] = u.ID.String()
	d["meta"] = s.meta("User", "/Users", u.ID.String(), u.CreatedAt, u.UpdatedAt)
	if withGroups && len(u.Groups) > 0 {
		groups := make([]any, len(u.Groups))
		for i, g := range u.Groups {
			groups[i] = doc{"value": g.ID.String(), "display": g.DisplayName, "$ref": s.baseURL + "/Groups/" + g.ID.String(), "type": "direct"}
		}
		d["groups"] = groups
	}
	return d
}

// RenderGroup returns a group as a SCIM Group resource.
func (s *Service) RenderGroup(g Group, withMembers bool) doc {
	d := doc{"schemas": []any{GroupSchema}, "id": g.ID.String(), "displayName": g.DisplayName,
		"meta": s.meta("Group", "/Groups", g.ID.String(), g.CreatedAt, g.UpdatedAt)}
	if g.ExternalID != nil {
		d["externalId"] = *g.ExternalID
	}
	if withMembers && len(g.Members) > 0 {
		members := make([]any, len(g.Members))
		for i, m := range g.Members {
			members[i] = doc{"value": m.ID.String(), "display": m.Display, "$ref": s.baseURL + "/Users/" + m.ID.String(), "type": "User"}
		}
		d["members"] = members
	}
	return d
}
