package scim

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/orgs"
	"github.com/orgtrail/orgtrail/server/scim/scimfilter"
)

// User is a SCIM user (a scim_users row: the identity provider's view of
// one member) with its membership's state and sign-in address.
type User struct {
	ID             uuid.UUID
	OrganizationID uuid.UUID
	UserID         uuid.UUID
	UserName       string
	ExternalID     *string
	Attributes     doc `gorm:"serializer:json;type:jsonb"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// Active is the membership's status; Email the user's sign-in address.
	Active bool   `gorm:"->"`
	Email  string `gorm:"->"`
	// Groups is loaded only when the response carries it.
	Groups []GroupRef `gorm:"-"`
}

// TableName implements gorm's Tabler.
func (User) TableName() string { return "scim_users" }

// GroupRef names a group a user belongs to.
type GroupRef struct {
	ID          uuid.UUID
	DisplayName string
}

// doc is the user's SCIM attributes, active included.
func (u User) doc() doc {
	d := cloneDoc(u.Attributes)
	d["userName"] = u.UserName
	if u.ExternalID != nil {
		d["externalId"] = *u.ExternalID
	}
	d["active"] = u.Active
	return d
}

// ListQuery is a list request: filter (nil for all), 1-based start index,
// page size (0 asks only for the total), and whether to load the costly
// multi-valued attribute (users' groups, groups' members).
type ListQuery struct {
	Filter     scimfilter.Expr
	StartIndex int
	Count      int
	Expand     bool
}

// userResourceRef is the audit resource of a SCIM user: the Orgtrail user.
func userResourceRef(userID uuid.UUID, email string) audit.Resource {
	return audit.Resource{Type: "user", ID: userID.String(), Name: email}
}

const userSelect = `SELECT su.*, m.status = 'ACTIVE' AS active, u.email
	FROM scim_users su
	JOIN memberships m ON m.organization_id = su.organization_id AND m.user_id = su.user_id
	JOIN users u ON u.id = su.user_id`

// splitUser takes a normalized User doc apart into its stored parts.
func splitUser(d doc) (userName string, externalID *string, active *bool, attrs doc, err error) {
	attrs = cloneDoc(d)
	userName, _ = attrs["userName"].(string)
	if strings.TrimSpace(userName) == "" {
		return "", nil, nil, nil, badRequest(typeInvalidValue, "userName is required")
	}
	if len(userName) > 512 {
		return "", nil, nil, nil, badRequest(typeInvalidValue, "userName is longer than 512 bytes")
	}
	if s, ok := attrs["externalId"].(string); ok {
		if len(s) > 512 {
			return "", nil, nil, nil, badRequest(typeInvalidValue, "externalId is longer than 512 bytes")
		}
		externalID = &s
	}
	if b, ok := attrs["active"].(bool); ok {
		active = &b
	}
	delete(attrs, "userName")
	delete(attrs, "externalId")
	delete(attrs, "active")
	return userName, externalID, active, attrs, nil
}

// signInEmail picks the address a user signs in with: the primary email,
// else the work one, else the first, else userName when it is an address.
func signInEmail(d doc) (string, error) {
	emails, _ := d["emails"].([]any)
	pick := func(match func(doc) bool) (string, bool) {
		for _, e := range emails {
			if m, ok := e.(doc); ok && match(m) {
				if v, ok := m["value"].(string); ok {
					return v, true
				}
			}
		}
		return "", false
	}
	candidate, ok := pick(func(m doc) bool { return m["primary"] == true })
	if !ok {
		candidate, ok = pick(func(m doc) bool { t, _ := m["type"].(string); return strings.EqualFold(t, "work") })
	}
	if !ok {
		candidate, ok = pick(func(doc) bool { return true })
	}
	if ok {
		email, err := orgs.NormalizeEmail(candidate)
		if err != nil {
			return "", badRequest(typeInvalidValue, "emails: %q is not a valid email address", candidate)
		}
		return email, nil
	}
	userName, _ := d["userName"].(string)
	email, err := orgs.NormalizeEmail(userName)
	if err != nil {
		return "", badRequest(typeInvalidValue, "a user needs an email address: give emails, or a userName that is one")
	}
	return email, nil
}

// personName is the name shown for the user in Orgtrail.
func personName(d doc) string {
	if s, ok := d["displayName"].(string); ok {
		return strings.TrimSpace(s)
	}
	name, _ := d["name"].(doc)
	if s, ok := name["formatted"].(string); ok {
		return strings.TrimSpace(s)
	}
	given, _ := name["givenName"].(string)
	family, _ := name["familyName"].(string)
	return strings.TrimSpace(given + " " + family)
}

// CreateUser provisions a user: the Orgtrail user with the sign-in address
// (created when new) becomes a member, active unless the body says
// otherwise. An existing member with that address is linked, and
// reactivated when deactivated. Records "Provisioned user".
func (s *Service) CreateUser(ctx context.Context, org uuid.UUID, body map[string]any) (User, error) {
	d, err := normalizeResource(userResource, body)
	if err != nil {
		return User{}, err
	}
	userName, externalID, active, attrs, err := splitUser(d)
	if err != nil {
		return User{}, err
	}
	email, err := signInEmail(d)
	if err != nil {
		return User{}, err
	}
	isActive := active == nil || *active
	var out User
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		// userName uniqueness is the unique index's: a clash fails the
		// insert below and the whole provisioning rolls back.
		user, joined, err := s.orgs.EnsureMember(ctx, org, email, personName(d), status(isActive))
		if err != nil {
			return err
		}
		linked := !joined
		now := s.clock()
		row := User{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, UserID: user.ID, UserName: userName,
			ExternalID: externalID, Attributes: attrs, CreatedAt: now, UpdatedAt: now}
		details := audit.Details{"scimId": row.ID.String(), "userName": userName, "email": email, "active": isActive}
		if externalID != nil {
			details["externalId"] = *externalID
		}
		if linked {
			details["linkedExistingMember"] = true
		}
		change := audit.Change{Action: audit.ProvisionedUser, Resource: userResourceRef(user.ID, email), Details: details}
		// "Provisioned user" is one event: on the membership when linking
		// changes its status, else on the new SCIM user.
		recorded := false
		if linked || !isActive {
			if recorded, err = s.setMembershipActive(ctx, org, user.ID, isActive, change); err != nil {
				return err
			}
		}
		if linked { // after members locked the membership: a concurrent link has committed or waits
			if err := s.checkNotProvisioned(ctx, org, user.ID, email); err != nil {
				return err
			}
		}
		if user.Name != personName(d) { // an existing user: EnsureUser named new ones
			if err := s.syncPersonName(ctx, org, user.ID, d); err != nil {
				return err
			}
		}
		create := s.db.Conn(ctx)
		if !recorded {
			create = audit.Audited(create, change)
		}
		if err := create.Create(&row).Error; err != nil {
			if database.IsUniqueViolation(err) {
				return conflict("userName %q is already taken", userName)
			}
			return err
		}
		row.Active, row.Email = isActive, email
		out = row
		return nil
	})
	return out, err
}

func status(active bool) orgs.MembershipStatus {
	if active {
		return orgs.MembershipActive
	}
	return orgs.MembershipDeactivated
}

// checkNotProvisioned refuses to link an existing member that another SCIM
// user already stands for: a member is provisioned once.
func (s *Service) checkNotProvisioned(ctx context.Context, org, userID uuid.UUID, email string) error {
	var taken int64
	if err := s.db.Conn(ctx).Model(&User{}).Where("organization_id = ? AND user_id = ?", org, userID).Count(&taken).Error; err != nil {
		return err
	}
	if taken > 0 {
		return conflict("%s is already provisioned under another userName", email)
	}
	return nil
}

// setMembershipActive reactivates or deactivates the membership through its
// owner (members), which applies the last-administrator guard and ends the
// sessions of a deactivated member; change records it when the status
// changes, which recorded reports.
func (s *Service) setMembershipActive(ctx context.Context, org, userID uuid.UUID, active bool, change audit.Change) (recorded bool, err error) {
	if active {
		return s.members.Reactivate(ctx, org, userID, change)
	}
	return s.members.Deactivate(ctx, org, userID, change)
}

// checkUserNameFree refuses a userName another SCIM user of org has,
// compared case-insensitively.
func (s *Service) checkUserNameFree(ctx context.Context, org uuid.UUID, userName string, self uuid.UUID) error {
	var n int64
	err := s.db.Conn(ctx).Model(&User{}).
		Where("organization_id = ? AND lower(user_name) = lower(?) AND id <> ?", org, userName, self).Count(&n).Error
	if err != nil {
		return err
	}
	if n > 0 {
		return conflict("userName %q is already taken", userName)
	}
	return nil
}

// syncPersonName keeps the Orgtrail user's name in step with the identity
// provider's, unless the person also belongs to another organization
// (whose view of them this organization's IdP must not change).
func (s *Service) syncPersonName(ctx context.Context, org, userID uuid.UUID, d doc) error {
	name := personName(d)
	if name == "" {
		return nil
	}
	return s.db.Conn(ctx).Exec(`UPDATE users SET name = ? WHERE id = ? AND name <> ?
		AND NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = ? AND organization_id <> ?)`,
		name, userID, name, userID, org).Error
}

// GetUser returns one SCIM user of org.
func (s *Service) GetUser(ctx context.Context, org, id uuid.UUID, withGroups bool) (User, error) {
	var users []User
	err := s.db.Conn(ctx).Raw(userSelect+` WHERE su.organization_id = ? AND su.id = ?`, org, id).Scan(&users).Error
	if err != nil {
		return User{}, err
	}
	if len(users) == 0 {
		return User{}, notFound("User %s not found", id)
	}
	if withGroups {
		if err := s.loadUserGroups(ctx, org, users); err != nil {
			return User{}, err
		}
	}
	return users[0], nil
}

func (s *Service) lockUser(ctx context.Context, org, id uuid.UUID) (User, error) {
	var users []User
	err := s.db.Conn(ctx).Raw(userSelect+` WHERE su.organization_id = ? AND su.id = ? FOR UPDATE OF su`, org, id).Scan(&users).Error
	if err != nil {
		return User{}, err
	}
	if len(users) == 0 {
		return User{}, notFound("User %s not found", id)
	}
	return users[0], nil
}

// ListUsers returns the total of users matching q.Filter and the page q asks
// for, in a stable order (by id, which grows with creation time).
func (s *Service) ListUsers(ctx context.Context, org uuid.UUID, q ListQuery) (int, []User, error) {
	where, args := "su.organization_id = ?", []any{org}
	if q.Filter != nil {
		cond, fargs, err := userSQL.where(q.Filter)
		if err != nil {
			return 0, nil, err
		}
		where += " AND " + cond
		args = append(args, fargs...)
	}
	var total int
	err := s.db.Conn(ctx).Raw(`SELECT count(*) FROM scim_users su
		JOIN memberships m ON m.organization_id = su.organization_id AND m.user_id = su.user_id
		WHERE `+where, args...).Scan(&total).Error
	if err != nil || q.Count == 0 || total < q.StartIndex {
		return total, []User{}, err
	}
	var users []User
	err = s.db.Conn(ctx).Raw(userSelect+` WHERE `+where+` ORDER BY su.id LIMIT ? OFFSET ?`,
		append(args, q.Count, q.StartIndex-1)...).Scan(&users).Error
	if err != nil {
		return 0, nil, err
	}
	if q.Expand {
		err = s.loadUserGroups(ctx, org, users)
	}
	return total, users, err
}

func (s *Service) loadUserGroups(ctx context.Context, org uuid.UUID, users []User) error {
	if len(users) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	var rows []struct {
		MemberID    uuid.UUID
		GroupID     uuid.UUID
		DisplayName string
	}
	err := s.db.Conn(ctx).Raw(`SELECT gm.member_id, g.id AS group_id, g.display_name FROM scim_group_members gm
		JOIN scim_groups g ON g.id = gm.group_id
		WHERE gm.organization_id = ? AND gm.member_id IN ? ORDER BY lower(g.display_name), g.id`, org, ids).Scan(&rows).Error
	if err != nil {
		return err
	}
	byMember := map[uuid.UUID][]GroupRef{}
	for _, r := range rows {
		byMember[r.MemberID] = append(byMember[r.MemberID], GroupRef{ID: r.GroupID, DisplayName: r.DisplayName})
	}
	for i := range users {
		users[i].Groups = byMember[users[i].ID]
	}
	return nil
}

// ReplaceUser replaces a user's attributes with body (PUT). Attributes the
// body leaves out are cleared, except active, which stays as it is.
func (s *Service) ReplaceUser(ctx context.Context, org, id uuid.UUID, body map[string]any) (User, error) {
	next, err := normalizeResource(userResource, body)
	if err != nil {
		return User{}, err
	}
	var out User
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.lockUser(ctx, org, id)
		if err != nil {
			return err
		}
		if _, ok := next["active"]; !ok {
			next["active"] = cur.Active
		}
		out, err = s.updateUser(ctx, org, cur, next)
		return err
	})
	return out, err
}

// PatchUser applies PATCH operations to a user.
func (s *Service) PatchUser(ctx context.Context, org, id uuid.UUID, ops []patchOp) (User, error) {
	var out User
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.lockUser(ctx, org, id)
		if err != nil {
			return err
		}
		next := cur.doc()
		if err := applyPatch(userResource, next, ops); err != nil {
			return err
		}
		out, err = s.updateUser(ctx, org, cur, next)
		return err
	})
	return out, err
}

// updateUser stores next as the user's attributes: "Updated user" with the
// changes when attributes change, then "Provisioned user" or
// "Deprovisioned user" when active changes. Nothing changed, nothing
// recorded.
func (s *Service) updateUser(ctx context.Context, org uuid.UUID, cur User, next doc) (User, error) {
	userName, externalID, active, attrs, err := splitUser(next)
	if err != nil {
		return User{}, err
	}
	email, err := signInEmail(next)
	if err != nil {
		return User{}, err
	}
	before, after := cur.doc(), cloneDoc(next)
	delete(before, "active")
	delete(after, "active")
	changes := diffDocs(before, after)
	if userName != cur.UserName {
		if err := s.checkUserNameFree(ctx, org, userName, cur.ID); err != nil {
			return User{}, err
		}
	}
	userID := cur.UserID
	if email != cur.Email {
		if userID, err = s.moveToEmail(ctx, org, cur, email); err != nil {
			return User{}, err
		}
		changes.Set("signInEmail", cur.Email, email)
	}
	if err := s.syncPersonName(ctx, org, userID, next); err != nil {
		return User{}, err
	}
	if len(changes) > 0 {
		raw, err := json.Marshal(attrs)
		if err != nil {
			return User{}, err
		}
		row := cur
		change := audit.Change{Action: audit.UpdatedUser, Resource: userResourceRef(userID, email),
			Details: audit.Details{"scimId": cur.ID.String(), "userName": userName, "changes": changes}}
		err = audit.Audited(s.db.Conn(ctx), change).Model(&row).Where("organization_id = ?", org).Updates(map[string]any{
			"user_name": userName, "external_id": externalID, "attributes": string(raw), "user_id": userID,
			"updated_at": s.clock(),
		}).Error
		if database.IsUniqueViolation(err) {
			return User{}, conflict("userName %q is already taken", userName)
		}
		if err != nil {
			return User{}, err
		}
	}
	if active != nil && *active != cur.Active {
		if err := s.setActive(ctx, org, cur.ID, userID, userName, email, *active); err != nil {
			return User{}, err
		}
	}
	return s.GetUser(ctx, org, cur.ID, true)
}

// setActive reactivates ("Provisioned user") or deactivates ("Deprovisioned
// user") a membership. Deactivation ends the user's sessions there; the last
// active administrator cannot be deactivated.
func (s *Service) setActive(ctx context.Context, org, scimID, userID uuid.UUID, userName, email string, active bool) error {
	action := audit.DeprovisionedUser
	details := audit.Details{"scimId": scimID.String(), "userName": userName, "active": active}
	if active {
		action = audit.ProvisionedUser
		details["reactivated"] = true
	}
	change := audit.Change{Action: action, OrganizationID: org, Resource: userResourceRef(userID, email), Details: details}
	_, err := s.setMembershipActive(ctx, org, userID, active, change)
	return err
}

// moveToEmail makes email the user's sign-in address. A person known only
// to this organization keeps their Orgtrail user, whose address changes. A
// person who also belongs elsewhere, or an address another Orgtrail user
// already has, moves this organization's membership (with its roles) to the
// user with that address; the old user's sessions here end.
func (s *Service) moveToEmail(ctx context.Context, org uuid.UUID, cur User, email string) (uuid.UUID, error) {
	tx := s.db.Conn(ctx)
	var owner []uuid.UUID
	if err := tx.Raw(`SELECT id FROM users WHERE email = ?`, email).Scan(&owner).Error; err != nil {
		return uuid.Nil, err
	}
	var elsewhere int64
	err := tx.Model(&orgs.Membership{}).Where("user_id = ? AND organization_id <> ?", cur.UserID, org).Count(&elsewhere).Error
	if err != nil {
		return uuid.Nil, err
	}
	if len(owner) == 0 && elsewhere == 0 {
		err := tx.Exec(`UPDATE users SET email = ? WHERE id = ?`, email, cur.UserID).Error
		if database.IsUniqueViolation(err) {
			return uuid.Nil, conflict("%s belongs to another user", email)
		}
		return cur.UserID, err
	}
	target, err := s.orgs.EnsureUser(ctx, email, "")
	if err != nil {
		return uuid.Nil, err
	}
	var taken int64
	if err := tx.Model(&orgs.Membership{}).Where("organization_id = ? AND user_id = ?", org, target.ID).Count(&taken).Error; err != nil {
		return uuid.Nil, err
	}
	if taken > 0 {
		return uuid.Nil, conflict("%s is already a member of this organization", email)
	}
	// The membership, its roles and this SCIM user move together; the old
	// user's sessions here end.
	return target.ID, s.members.Move(ctx, org, cur.UserID, target.ID)
}

// DeleteUser deprovisions a user for good: they leave their groups (and
// the roles those gave), the membership is deactivated, sessions end, and
// the SCIM resource is gone (404 from now on). The member stays, deactivated,
// in the organization's member list. Records "Deprovisioned user".
func (s *Service) DeleteUser(ctx context.Context, org, id uuid.UUID) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		cur, err := s.lockUser(ctx, org, id)
		if err != nil {
			return err
		}
		var groups []struct {
			ID          uuid.UUID
			DisplayName string
		}
		err = s.db.Conn(ctx).Raw(`SELECT g.id, g.display_name FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id
			WHERE gm.organization_id = ? AND gm.member_id = ? ORDER BY lower(g.display_name)`, org, cur.ID).Scan(&groups).Error
		if err != nil {
			return err
		}
		groupIDs, names := []uuid.UUID{}, []string{}
		for _, g := range groups {
			groupIDs = append(groupIDs, g.ID)
			names = append(names, g.DisplayName)
		}
		roles, err := s.mappedRoles(ctx, org, groupIDs)
		if err != nil {
			return err
		}
		change := audit.Change{Action: audit.DeprovisionedUser, Resource: userResourceRef(cur.UserID, cur.Email),
			Details: audit.Details{"scimId": cur.ID.String(), "userName": cur.UserName, "active": false, "deleted": true,
				"removedFromGroups": names}}
		// One "Deprovisioned user": on the membership when it was active,
		// else on the SCIM user's deletion.
		recorded, err := s.members.Deactivate(ctx, org, cur.UserID, change)
		if err != nil {
			return err
		}
		del := s.db.Conn(ctx)
		if !recorded {
			del = audit.Audited(del, change)
		}
		row := cur
		if err := del.Where("organization_id = ?", org).Delete(&row).Error; err != nil {
			return err
		}
		return s.revokeUngranted(ctx, org, cur.UserID, roles)
	})
}

// diffDocs lists what changed between two User docs for "Updated user":
// each top-level attribute, name and enterprise attributes one by one.
func diffDocs(before, after doc) audit.Changes {
	flat := func(d doc) map[string]any {
		out := map[string]any{}
		for k, v := range d {
			switch sub, isDoc := v.(doc); {
			case k == EnterpriseSchema && isDoc:
				for ek, ev := range sub {
					out["enterprise."+ek] = ev
				}
			case k == "name" && isDoc:
				for nk, nv := range sub {
					out["name."+nk] = nv
				}
			default:
				out[k] = v
			}
		}
		return out
	}
	b, a := flat(before), flat(after)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	changes := audit.Changes{}
	for _, k := range sorted {
		if !reflect.DeepEqual(b[k], a[k]) {
			changes[k] = audit.FieldChange{From: b[k], To: a[k]}
		}
	}
	return changes
}
