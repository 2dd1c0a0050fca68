package scim

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
)

// Group is a SCIM group (a scim_groups row), with its members when they
// were loaded.
type Group struct {
	ID             uuid.UUID
	OrganizationID uuid.UUID
	DisplayName    string
	ExternalID     *string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Members        []Member `gorm:"-"`
}

// TableName implements gorm's Tabler.
func (Group) TableName() string { return "scim_groups" }

// AuditTarget implements audit.Target.
func (g *Group) AuditTarget() (uuid.UUID, audit.Resource) {
	return g.OrganizationID, audit.Resource{Type: "group", ID: g.ID.String(), Name: g.DisplayName}
}

type groupMember struct {
	OrganizationID uuid.UUID
	GroupID        uuid.UUID
	MemberID       uuid.UUID
	CreatedAt      time.Time
}

func (groupMember) TableName() string { return "scim_group_members" }

// Member is a user in a group.
type Member struct {
	ID       uuid.UUID // the SCIM user's id
	UserID   uuid.UUID
	UserName string
	Display  string
}

func (m Member) details() map[string]any {
	return map[string]any{"id": m.ID.String(), "userName": m.UserName}
}

func memberDetails(ms []Member) []map[string]any {
	out := make([]map[string]any, len(ms))
	for i, m := range ms {
		out[i] = m.details()
	}
	return out
}

// doc is the group's SCIM attributes, with members as their ids.
func (g Group) doc() doc {
	d := doc{"displayName": g.DisplayName}
	if g.ExternalID != nil {
		d["externalId"] = *g.ExternalID
	}
	if len(g.Members) > 0 {
		members := make([]any, len(g.Members))
		for i, m := range g.Members {
			members[i] = doc{"value": m.ID.String()}
		}
		d["members"] = members
	}
	return d
}

// splitGroup takes a normalized Group doc apart.
func splitGroup(d doc) (displayName string, externalID *string, members []uuid.UUID, err error) {
	displayName, _ = d["displayName"].(string)
	displayName = strings.TrimSpace(displayName)
	if displayName == "" {
		return "", nil, nil, badRequest(typeInvalidValue, "displayName is required")
	}
	if len(displayName) > 512 {
		return "", nil, nil, badRequest(typeInvalidValue, "displayName is longer than 512 bytes")
	}
	if s, ok := d["externalId"].(string); ok {
		if len(s) > 512 {
			return "", nil, nil, badRequest(typeInvalidValue, "externalId is longer than 512 bytes")
		}
		externalID = &s
	}
	list, _ := d["members"].([]any)
	seen := map[uuid.UUID]bool{}
	for _, item := range list {
		m, _ := item.(doc)
		if t, ok := m["type"].(string); ok && !strings.EqualFold(t, "User") {
			return "", nil, nil, badRequest(typeInvalidValue, "members: only Users can be members, not %q", t)
		}
		v, _ := m["value"].(string)
		id, err := uuid.Parse(v)
		if err != nil {
			return "", nil, nil, badRequest(typeInvalidValue, "members: %q is not the id of a User", v)
		}
		if !seen[id] {
			seen[id] = true
			members = append(members, id)
		}
	}
	return displayName, externalID, members, nil
}

// resolveMembers returns the SCIM users of org with these ids, in the given
// order; an id that is not one is invalid input.
func (s *Service) resolveMembers(ctx context.Context, org uuid.UUID, ids []uuid.UUID) ([]Member, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []Member
	err := s.db.Conn(ctx).Raw(`SELECT id, user_id, user_name, COALESCE(attributes->>'displayName', user_name) AS display
		FROM scim_users WHERE organization_id = ? AND id IN ?`, org, ids).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	byID := map[uuid.UUID]Member{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	out := make([]Member, 0, len(ids))
	for _, id := range ids {
		m, ok := byID[id]
		if !ok {
			return nil, badRequest(typeInvalidValue, "members: %s is not a User of this organization", id)
		}
		out = append(out, m)
	}
	return out, nil
}

// CreateGroup creates a group with its members, recording "Created group".
func (s *Service) CreateGroup(ctx context.Context, org uuid.UUID, body map[string]any) (Group, error) {
	d, err := normalizeResource(groupResource, body)
	if err != nil {
		return Group{}, err
	}
	name, externalID, memberIDs, err := splitGroup(d)
	if err != nil {
		return Group{}, err
	}
	var g Group
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		members, err := s.resolveMembers(ctx, org, memberIDs)
		if err != nil {
			return err
		}
		now := s.clock()
		g = Group{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, DisplayName: name,
			ExternalID: externalID, CreatedAt: now, UpdatedAt: now, Members: members}
		details := audit.Details{"displayName": name, "members": memberDetails(members)}
		if externalID != nil {
			details["externalId"] = *externalID
		}
		if err := audit.Audited(s.db.Conn(ctx), audit.Change{Action: audit.CreatedGroup, Details: details}).Create(&g).Error; err != nil {
			return err
		}
		return s.insertMembers(ctx, org, g.ID, members)
	})
	return g, err
}

func (s *Service) insertMembers(ctx context.Context, org, group uuid.UUID, members []Member) error {
	if len(members) == 0 {
		return nil
	}
	rows := make([]groupMember, len(members))
	now := s.clock()
	for i, m := range members {
		rows[i] = groupMember{OrganizationID: org, GroupID: group, MemberID: m.ID, CreatedAt: now}
	}
	return s.db.Conn(ctx).CreateInBatches(rows, 1000).Error
}

// GetGroup returns one group of org, with its members when asked.
func (s *Service) GetGroup(ctx context.Context, org, id uuid.UUID, withMembers bool) (Group, error) {
	var g Group
	err := s.db.Conn(ctx).Where("organization_id = ? AND id = ?", org, id).Take(&g).Error
	if database.IsNotFound(err) {
		return Group{}, notFound("Group %s not found", id)
	}
	if err != nil {
		return Group{}, err
	}
	if withMembers {
		groups := []Group{g}
		if err := s.loadMembers(ctx, org, groups); err != nil {
			return Group{}, err
		}
		g = groups[0]
	}
	return g, nil
}

func (s *Service) lockGroup(ctx context.Context, org, id uuid.UUID) (Group, error) {
	var g Group
	err := s.db.Conn(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("organization_id = ? AND id = ?", org, id).Take(&g).Error
	if database.IsNotFound(err) {
		return Group{}, notFound("Group %s not found", id)
	}
	if err != nil {
		return Group{}, err
	}
	groups := []Group{g}
	err = s.loadMembers(ctx, org, groups)
	return groups[0], err
}

func (s *Service) loadMembers(ctx context.Context, org uuid.UUID, groups []Group) error {
	if len(groups) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	var rows []struct {
		GroupID uuid.UUID
		Member
	}
	err := s.db.Conn(ctx).Raw(`SELECT gm.group_id, su.id, su.user_id, su.user_name,
			COALESCE(su.attributes->>'displayName', su.user_name) AS display
		FROM scim_group_members gm JOIN scim_users su ON su.id = gm.member_id
		WHERE gm.organization_id = ? AND gm.group_id IN ? ORDER BY su.id`, org, ids).Scan(&rows).Error
	if err != nil {
		return err
	}
	byGroup := map[uuid.UUID][]Member{}
	for _, r := range rows {
		byGroup[r.GroupID] = append(byGroup[r.GroupID], r.Member)
	}
	for i := range groups {
		groups[i].Members = byGroup[groups[i].ID]
	}
	return nil
}

// ListGroups returns the total of groups matching q.Filter and the page q
// asks for, ordered by id.
func (s *Service) ListGroups(ctx context.Context, org uuid.UUID, q ListQuery) (int, []Group, error) {
	where, args := "sg.organization_id = ?", []any{org}
	if q.Filter != nil {
		cond, fargs, err := groupSQL.where(q.Filter)
		if err != nil {
			return 0, nil, err
		}
		where += " AND " + cond
		args = append(args, fargs...)
	}
	var total int
	if err := s.db.Conn(ctx).Raw(`SELECT count(*) FROM scim_groups sg WHERE `+where, args...).Scan(&total).Error; err != nil {
		return 0, nil, err
	}
	if q.Count == 0 || total < q.StartIndex {
		return total, []Group{}, nil
	}
	var groups []Group
	err := s.db.Conn(ctx).Raw(`SELECT sg.* FROM scim_groups sg WHERE `+where+` ORDER BY sg.id LIMIT ? OFFSET ?`,
		append(args, q.Count, q.StartIndex-1)...).Scan(&groups).Error
	if err != nil {
		return 0, nil, err
	}
	if q.Expand {
		err = s.loadMembers(ctx, org, groups)
	}
	return total, groups, err
}

// ReplaceGroup replaces a group's name, externalId and members (PUT).
func (s *Service) ReplaceGroup(ctx context.Context, org, id uuid.UUID, body map[string]any) (Group, error) {
	next, err := normalizeResource(groupResource, body)
	if err != nil {
		return Group{}, err
	}
	var out Group
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.lockGroup(ctx, org, id)
		if err != nil {
			return err
		}
		out, err = s.updateGroup(ctx, org, cur, next)
		return err
	})
	return out, err
}

// PatchGroup applies PATCH operations to a group.
func (s *Service) PatchGroup(ctx context.Context, org, id uuid.UUID, ops []patchOp) (Group, error) {
	var out Group
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.lockGroup(ctx, org, id)
		if err != nil {
			return err
		}
		next := cur.doc()
		if err := applyPatch(groupResource, next, ops); err != nil {
			return err
		}
		out, err = s.updateGroup(ctx, org, cur, next)
		return err
	})
	return out, err
}

// updateGroup stores next, recording one "Updated group" with the name
// change and the members added and removed; members added get the roles
// mapped to the group, members removed lose those no other group gives.
func (s *Service) updateGroup(ctx context.Context, org uuid.UUID, cur Group, next doc) (Group, error) {
	name, externalID, memberIDs, err := splitGroup(next)
	if err != nil {
		return Group{}, err
	}
	changes := audit.Changes{}
	changes.Set("displayName", cur.DisplayName, name)
	changes.Set("externalId", optional(cur.ExternalID), optional(externalID))
	wanted := map[uuid.UUID]bool{}
	for _, id := range memberIDs {
		wanted[id] = true
	}
	had := map[uuid.UUID]bool{}
	var removed []Member
	for _, m := range cur.Members {
		had[m.ID] = true
		if !wanted[m.ID] {
			removed = append(removed, m)
		}
	}
	var addedIDs []uuid.UUID
	for _, id := range memberIDs {
		if !had[id] {
			addedIDs = append(addedIDs, id)
		}
	}
	if len(changes) == 0 && len(addedIDs) == 0 && len(removed) == 0 {
		return cur, nil
	}
	added, err := s.resolveMembers(ctx, org, addedIDs)
	if err != nil {
		return Group{}, err
	}
	details := audit.Details{"displayName": name}
	if len(changes) > 0 {
		details["changes"] = changes
	}
	if len(added) > 0 {
		details["membersAdded"] = memberDetails(added)
	}
	if len(removed) > 0 {
		details["membersRemoved"] = memberDetails(removed)
	}
	tx := s.db.Conn(ctx)
	row := cur
	row.DisplayName = name // the event names the group as it is now
	err = audit.Audited(tx, audit.Change{Action: audit.UpdatedGroup, Details: details}).Model(&row).
		Where("organization_id = ?", org).
		Updates(map[string]any{"display_name": name, "external_id": externalID, "updated_at": s.clock()}).Error
	if err != nil {
		return Group{}, err
	}
	if err := s.insertMembers(ctx, org, cur.ID, added); err != nil {
		return Group{}, err
	}
	if len(removed) > 0 {
		ids := make([]uuid.UUID, len(removed))
		for i, m := range removed {
			ids[i] = m.ID
		}
		if err := tx.Where("group_id = ? AND member_id IN ?", cur.ID, ids).Delete(&groupMember{}).Error; err != nil {
			return Group{}, err
		}
	}
	roles, err := s.mappedRoles(ctx, org, []uuid.UUID{cur.ID})
	if err != nil {
		return Group{}, err
	}
	if err := s.grantRoles(ctx, org, roles, userIDs(added)); err != nil {
		return Group{}, err
	}
	for _, m := range removed {
		if err := s.revokeUngranted(ctx, org, m.UserID, roles); err != nil {
			return Group{}, err
		}
	}
	return s.GetGroup(ctx, org, cur.ID, true)
}

func optional(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func userIDs(ms []Member) []uuid.UUID {
	out := make([]uuid.UUID, len(ms))
	for i, m := range ms {
		out[i] = m.UserID
	}
	return out
}

// DeleteGroup deletes a group, recording "Deleted group"; its members lose
// the roles it gave them that no other group gives.
func (s *Service) DeleteGroup(ctx context.Context, org, id uuid.UUID) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		g, err := s.lockGroup(ctx, org, id)
		if err != nil {
			return err
		}
		roles, err := s.mappedRoles(ctx, org, []uuid.UUID{g.ID})
		if err != nil {
			return err
		}
		details := audit.Details{"displayName": g.DisplayName, "memberCount": len(g.Members)}
		if g.ExternalID != nil {
			details["externalId"] = *g.ExternalID
		}
		row := g
		if err := audit.Audited(s.db.Conn(ctx), audit.Change{Action: audit.DeletedGroup, Details: details}).
			Where("organization_id = ?", org).Delete(&row).Error; err != nil {
			return err
		}
		for _, m := range g.Members {
			if err := s.revokeUngranted(ctx, org, m.UserID, roles); err != nil {
				return err
			}
		}
		return nil
	})
}
