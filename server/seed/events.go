package seed

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/audit"
)

// actionWeights is how often each action happens relative to the others in a
// typical organization: sign-ins dominate, SCIM keeps users in sync, admins
// change roles and connectors now and then, and deletions are rare.
var actionWeights = map[audit.Action]float64{
	audit.LoggedIn:                   300,
	audit.LoggedOut:                  110,
	audit.LoginFailed:                22,
	audit.GeneratedMagicLink:         35,
	audit.CreatedOIDCProvider:        0.15,
	audit.UpdatedOIDCProvider:        0.4,
	audit.DeletedOIDCProvider:        0.05,
	audit.AddedOIDCProviderToOrg:     0.15,
	audit.RemovedOIDCProviderFromOrg: 0.06,

	audit.InvitedMember: 4,
	audit.MemberJoined:  3,
	audit.RemovedMember: 1,

	audit.CreatedRole:           1.2,
	audit.UpdatedRole:           2,
	audit.DeletedRole:           0.3,
	audit.AssignedRole:          6,
	audit.UnassignedRole:        2,
	audit.GrantedPermission:     4,
	audit.RevokedPermission:     1.5,
	audit.CreatedServiceAccount: 0.8,
	audit.DeletedServiceAccount: 0.2,
	audit.CreatedAPIKey:         2,
	audit.RevokedAPIKey:         0.8,
	audit.RotatedAPIKey:         1.5,

	audit.CreatedConnector: 1.2,
	audit.UpdatedConnector: 5,
	audit.DeletedConnector: 0.3,

	audit.UpdatedOrgSettings:         0.8,
	audit.DeletedOrganization:        0.01,
	audit.SwitchedOrganization:       14,
	audit.CreatedSiblingOrganization: 0.05,

	audit.CreatedAPIAccessKey: 1.2,
	audit.UpdatedAPIAccessKey: 0.8,
	audit.DeletedAPIAccessKey: 0.4,

	audit.CreatedSecret: 2.5,
	audit.UpdatedSecret: 5,
	audit.DeletedSecret: 0.6,

	audit.CreatedSCIMToken:       0.1,
	audit.RevokedSCIMToken:       0.05,
	audit.CreatedSCIMOAuthClient: 0.05,
	audit.RevokedSCIMOAuthClient: 0.03,
	audit.ProvisionedUser:        7,
	audit.UpdatedUser:            14,
	audit.DeprovisionedUser:      2,
	audit.CreatedGroup:           0.8,
	audit.UpdatedGroup:           6,
	audit.DeletedGroup:           0.2,

	audit.UpdatedServiceAccount: 0.3,

	audit.CreatedLogStream: 0.05,
	audit.UpdatedLogStream: 0.1,
	audit.PausedLogStream:  0.03,
	audit.ResumedLogStream: 0.04,
	audit.DeletedLogStream: 0.02,
	audit.ExportedAuditLog: 0.3,
}

// actionTable lists every action of the catalog with its cumulative weight,
// in catalog order.
type actionTable struct {
	actions []audit.Action
	cum     []float64
}

func newActionTable() actionTable {
	var t actionTable
	total := 0.0
	for _, c := range audit.Categories() {
		for _, a := range c.Actions {
			w, ok := actionWeights[a.Action]
			if !ok {
				panic(fmt.Sprintf("seed: no weight for action %s", a.Action))
			}
			total += w
			t.actions = append(t.actions, a.Action)
			t.cum = append(t.cum, total)
		}
	}
	for i := range t.cum {
		t.cum[i] /= total
	}
	return t
}

func (t actionTable) pick(rng *rand.Rand) audit.Action {
	q := rng.Float64()
	lo, hi := 0, len(t.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if t.cum[mid] < q {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return t.actions[lo]
}

// event is one generated audit row before encoding.
type event struct {
	action   audit.Action
	actor    audit.Actor
	resource audit.Resource
	details  audit.Details
	ip       netip.Addr
	ua       string
}

func (e *event) byUser(p person) {
	e.actor = audit.Actor{Type: audit.ActorUser, ID: p.id.String(), Email: p.email, Name: p.name}
	e.ip, e.ua = p.ip, p.ua
}

func (e *event) byMachine(t audit.ActorType, m machine) {
	e.actor = audit.Actor{Type: t, ID: m.id.String(), Name: m.name}
	e.ip, e.ua = m.ip, m.ua
}

// bySystem attributes a change the server made on its own, such as expiring
// a key: no address, no user agent.
func (e *event) bySystem(w *world) {
	e.actor, e.ip, e.ua = audit.System(w.org), netip.Addr{}, ""
}

// byOperator attributes an administrative change: mostly to an admin in the
// browser, sometimes to automation through an API access key or a service
// account.
func (e *event) byOperator(w *world, rng *rand.Rand, automatable bool) {
	r := rng.IntN(100)
	switch {
	case automatable && r < 8:
		k := pick(rng, w.accessKeys)
		e.actor = audit.Actor{Type: audit.ActorAPIKey, ID: k.id.String(), Name: k.name}
		e.ip, e.ua = cloudIP(rng), pick(rng, apiAgents)
	case automatable && r < 14:
		e.byMachine(audit.ActorServiceAccount, pick(rng, w.serviceAcc))
	case r < 90:
		e.byUser(w.admin(rng))
	default:
		e.byUser(w.user(rng)) // a member holding a role with the permission
	}
}

func res(kind string, n named) audit.Resource {
	return audit.Resource{Type: kind, ID: n.id.String(), Name: n.name}
}

func userResource(p person) audit.Resource {
	return audit.Resource{Type: "user", ID: p.id.String(), Name: p.email}
}

// fieldChange is one field's update, for the details of update events.
type fieldChange struct {
	field    string
	from, to any
}

func (c fieldChange) details() audit.Details { return changes(c.field, c.from, c.to) }

func changes(field string, from, to any) audit.Details {
	return audit.Details{"changes": audit.Changes{field: {From: from, To: to}}}
}

var (
	loginFailures = []string{"invalid_or_expired_magic_link", "invalid_or_expired_magic_link", "oidc_state_mismatch",
		"user_deactivated", "oidc_email_not_verified"}
	orgSettings = []fieldChange{
		{"sessionTimeoutMinutes", 480, 120},
		{"sessionTimeoutMinutes", 120, 720},
		{"requireSso", false, true},
		{"defaultRole", "Member", "Viewer"},
		{"auditLogRetentionDays", 365, 730},
		{"allowedEmailDomains", []string{}, []string{"example.com"}},
	}
	roleDescriptions = []string{"Read-only access for auditors", "Manages connectors and their schedules",
		"Can rotate production secrets", "Temporary access for contractors", "Day-to-day administration"}
	connectorChanges = []fieldChange{
		{"schedule", "hourly", "every 15 minutes"},
		{"schedule", "every 15 minutes", "daily"},
		{"enabled", true, false},
		{"enabled", false, true},
		{"host", "db-1.internal", "db-2.internal"},
		{"warehouse", "COMPUTE_WH", "ANALYTICS_WH"},
	}
	userChanges = []fieldChange{
		{"title", "Engineer", "Senior Engineer"},
		{"department", "Sales", "Marketing"},
		{"manager", "", "Grace Okafor"},
		{"phoneNumber", "", "+1 555 0100"},
	}
)

// fill generates the actor, resource and details of an event of e.action.
func (w *world) fill(e *event, rng *rand.Rand, at time.Time) {
	e.details = audit.Details{}
	switch e.action {
	case audit.LoggedIn:
		u := w.user(rng)
		e.byUser(u)
		e.resource = userResource(u)
		if rng.IntN(4) == 0 {
			e.details = audit.Details{"method": "magic_link"}
		} else {
			e.details = audit.Details{"method": "oidc", "provider": w.idp.name}
		}
	case audit.LoggedOut:
		u := w.user(rng)
		e.byUser(u)
		e.resource = userResource(u)
		e.details = audit.Details{"sessionMinutes": 5 + rng.IntN(480)}
	case audit.LoginFailed:
		u := w.user(rng)
		e.byUser(u)
		if rng.IntN(6) == 0 { // someone who is not a member, or a typo
			u.email = pick(rng, []string{"j.doe", "admin", "test", "it-support"}) + "@" + pick(rng, []string{"gmail.com", "outlook.com", w.slug + ".example"})
			e.actor = audit.Actor{Type: audit.ActorUser, Email: u.email}
			e.resource = audit.Resource{Type: "user", ID: "", Name: u.email}
			e.details = audit.Details{"reason": "not_a_member", "method": "magic_link"}
			break
		}
		e.resource = userResource(u)
		e.details = audit.Details{"reason": pick(rng, loginFailures), "method": pick(rng, []string{"oidc", "magic_link"})}
	case audit.GeneratedMagicLink:
		u := w.user(rng)
		e.byUser(u)
		e.resource = userResource(u)
		e.details = audit.Details{"expiresInMinutes": 15}
	case audit.CreatedOIDCProvider, audit.DeletedOIDCProvider:
		e.byUser(w.admin(rng))
		p := pick(rng, w.oidc)
		e.resource = res("oidc_provider", p)
		e.details = audit.Details{"issuer": w.issuer(p.name), "clientId": fmt.Sprintf("0oa%012x", rng.Uint64()>>16)}
	case audit.UpdatedOIDCProvider:
		e.byUser(w.admin(rng))
		p := pick(rng, w.oidc)
		e.resource = res("oidc_provider", p)
		if rng.IntN(2) == 0 {
			e.details = changes("scopes", "openid email", "openid email profile")
		} else {
			e.details = audit.Details{"changes": audit.Changes{"clientSecret": {From: "(changed)", To: "(changed)"}}}
		}
	case audit.AddedOIDCProviderToOrg, audit.RemovedOIDCProviderFromOrg:
		e.byUser(w.admin(rng))
		e.resource = res("oidc_provider", pick(rng, w.oidc))
		e.details = audit.Details{"organizationId": w.org.String(), "organizationName": w.orgName}

	case audit.InvitedMember:
		e.byUser(w.admin(rng))
		p := pick(rng, w.newcomers)
		e.resource = audit.Resource{Type: "invitation", ID: randomUUID(rng).String(), Name: p.email}
		e.details = audit.Details{"email": p.email, "roles": []string{pick(rng, []string{"Member", "Viewer", "Developer", "Analyst"})}}
	case audit.MemberJoined:
		p := pick(rng, w.newcomers)
		e.byUser(p)
		e.resource = userResource(p)
		e.details = audit.Details{"invitationId": randomUUID(rng).String()}
	case audit.RemovedMember:
		e.byUser(w.admin(rng))
		p := w.user(rng)
		e.resource = userResource(p)
		e.details = audit.Details{"email": p.email, "name": p.name}

	case audit.CreatedRole:
		e.byOperator(w, rng, true)
		e.resource = res("role", pick(rng, w.roles[2:]))
		e.details = audit.Details{"description": pick(rng, roleDescriptions)}
	case audit.UpdatedRole:
		e.byOperator(w, rng, true)
		e.resource = res("role", pick(rng, w.roles[1:]))
		e.details = changes("description", pick(rng, roleDescriptions), pick(rng, roleDescriptions))
	case audit.DeletedRole:
		e.byOperator(w, rng, true)
		e.resource = res("role", pick(rng, w.roles[2:]))
		e.details = audit.Details{"assignments": rng.IntN(6)}
	case audit.AssignedRole, audit.UnassignedRole:
		e.byOperator(w, rng, true)
		e.resource = res("role", pick(rng, w.roles))
		if rng.IntN(5) == 0 {
			sa := pick(rng, w.serviceAcc)
			e.details = audit.Details{"assigneeType": "service_account", "assigneeId": sa.id.String(), "assigneeName": sa.name}
		} else {
			u := w.user(rng)
			e.details = audit.Details{"assigneeType": "user", "assigneeId": u.id.String(), "assigneeEmail": u.email}
		}
	case audit.GrantedPermission, audit.RevokedPermission:
		e.byOperator(w, rng, true)
		e.resource = res("role", pick(rng, w.roles[1:]))
		e.details = audit.Details{"permission": pickPermission(rng)}
	case audit.CreatedServiceAccount, audit.DeletedServiceAccount:
		e.byOperator(w, rng, true)
		sa := pick(rng, w.serviceAcc)
		e.resource = audit.Resource{Type: "service_account", ID: sa.id.String(), Name: sa.name}
		e.details = audit.Details{"description": "Used by " + sa.name}
	case audit.UpdatedServiceAccount:
		e.byOperator(w, rng, true)
		sa := pick(rng, w.serviceAcc)
		e.resource = audit.Resource{Type: "service_account", ID: sa.id.String(), Name: sa.name}
		e.details = changes("description", "", "Used by "+sa.name)
	case audit.CreatedAPIKey:
		e.byOperator(w, rng, true)
		k := pick(rng, w.apiKeys)
		e.resource = res("api_key", k.named)
		e.details = audit.Details{"serviceAccountId": k.account.id.String(), "serviceAccountName": k.account.name,
			"prefix": k.prefix, "expiresAt": at.AddDate(0, 0, 90).Format(time.DateOnly)}
	case audit.RevokedAPIKey:
		k := pick(rng, w.apiKeys)
		e.resource = res("api_key", k.named)
		if rng.IntN(5) < 2 {
			e.bySystem(w)
			e.details = audit.Details{"prefix": k.prefix, "reason": "expired"}
		} else {
			e.byOperator(w, rng, true)
			e.details = audit.Details{"prefix": k.prefix, "reason": "revoked"}
		}
	case audit.RotatedAPIKey:
		e.byOperator(w, rng, true)
		k := pick(rng, w.apiKeys)
		e.resource = res("api_key", k.named)
		e.details = audit.Details{"prefix": k.prefix, "newKeyId": randomUUID(rng).String(), "newPrefix": keyPrefix("otk_", rng)}

	case audit.CreatedConnector, audit.DeletedConnector:
		e.byOperator(w, rng, true)
		c := pick(rng, w.connectors)
		e.resource = res("connector", c.named)
		e.details = audit.Details{"type": c.kind}
	case audit.UpdatedConnector:
		e.byOperator(w, rng, true)
		c := pick(rng, w.connectors)
		e.resource = res("connector", c.named)
		e.details = pick(rng, connectorChanges).details()
		e.details["type"] = c.kind

	case audit.UpdatedOrgSettings:
		e.byUser(w.admin(rng))
		e.resource = audit.Resource{Type: "organization", ID: w.org.String(), Name: w.orgName}
		e.details = pick(rng, orgSettings).details()
	case audit.DeletedOrganization:
		e.byUser(w.admins[0])
		s := pick(rng, w.siblings)
		e.resource = res("organization", s)
		e.details = audit.Details{"confirmedName": s.name}
	case audit.SwitchedOrganization:
		u := w.user(rng)
		e.byUser(u)
		s := pick(rng, w.siblings)
		e.resource = res("organization", s)
		e.details = audit.Details{"fromOrganizationId": w.org.String(), "fromOrganizationName": w.orgName}
	case audit.CreatedSiblingOrganization:
		e.byUser(w.admins[0])
		e.resource = res("organization", pick(rng, w.siblings))
		e.details = audit.Details{"parentOrganizationId": w.org.String()}

	case audit.CreatedAPIAccessKey, audit.DeletedAPIAccessKey:
		k := pick(rng, w.accessKeys)
		e.resource = res("api_access_key", k.named)
		e.details = audit.Details{"prefix": k.prefix, "permissions": k.permissions}
		if e.action == audit.DeletedAPIAccessKey && rng.IntN(3) == 0 {
			e.bySystem(w)
			e.details["reason"] = "expired"
		} else {
			e.byUser(w.admin(rng))
		}
	case audit.UpdatedAPIAccessKey:
		e.byUser(w.admin(rng))
		k := pick(rng, w.accessKeys)
		e.resource = res("api_access_key", k.named)
		e.details = audit.Details{"changes": audit.Changes{"permissions": {From: k.permissions, To: append(k.permissions[:len(k.permissions):len(k.permissions)], pickPermission(rng))}}}

	case audit.CreatedSecret, audit.DeletedSecret:
		e.byOperator(w, rng, true)
		e.resource = res("secret", pick(rng, w.secrets))
		if e.action == audit.CreatedSecret {
			e.details = audit.Details{"version": 1} // the value itself never appears
		}
	case audit.UpdatedSecret:
		e.byOperator(w, rng, true)
		e.resource = res("secret", pick(rng, w.secrets))
		v := 1 + rng.IntN(20)
		e.details = changes("version", v, v+1) // the value itself never appears
		e.details["valueChanged"] = true

	case audit.CreatedSCIMToken, audit.RevokedSCIMToken:
		e.byUser(w.admin(rng))
		e.resource = res("scim_token", pick(rng, w.scimTokens))
		e.details = audit.Details{"prefix": keyPrefix("scim_", rng)}
	case audit.CreatedSCIMOAuthClient, audit.RevokedSCIMOAuthClient:
		e.byUser(w.admin(rng))
		c := pick(rng, w.scimClients)
		e.resource = res("scim_oauth_client", c)
		e.details = audit.Details{"clientId": c.id.String()}
	case audit.ProvisionedUser:
		e.byMachine(audit.ActorSCIM, w.scim)
		p := w.user(rng)
		if rng.IntN(3) == 0 {
			p = pick(rng, w.newcomers)
		}
		e.resource = userResource(p)
		e.details = audit.Details{"externalId": externalID(p.id), "userName": p.email, "active": true}
	case audit.UpdatedUser:
		e.byMachine(audit.ActorSCIM, w.scim)
		p := w.user(rng)
		e.resource = userResource(p)
		e.details = pick(rng, userChanges).details()
		e.details["externalId"] = externalID(p.id)
	case audit.DeprovisionedUser:
		e.byMachine(audit.ActorSCIM, w.scim)
		p := w.user(rng)
		e.resource = userResource(p)
		e.details = changes("active", true, false)
		e.details["externalId"] = externalID(p.id)
	case audit.CreatedGroup, audit.DeletedGroup:
		e.byMachine(audit.ActorSCIM, w.scim)
		g := pick(rng, w.groups)
		e.resource = res("group", g)
		e.details = audit.Details{"externalId": externalID(g.id)}
	case audit.UpdatedGroup:
		e.byMachine(audit.ActorSCIM, w.scim)
		g := pick(rng, w.groups)
		e.resource = res("group", g)
		u := w.user(rng)
		if rng.IntN(3) == 0 {
			e.details = audit.Details{"membersRemoved": []string{u.email}}
		} else {
			e.details = audit.Details{"membersAdded": []string{u.email}}
		}

	case audit.CreatedLogStream, audit.DeletedLogStream:
		e.byUser(w.admin(rng))
		st := pick(rng, logStreams)
		e.resource = audit.Resource{Type: "log_stream", ID: uuid.NewSHA1(w.org, []byte(st.name)).String(), Name: st.name}
		e.details = audit.Details{"destination": st.destination, "format": st.format}
	case audit.UpdatedLogStream:
		e.byUser(w.admin(rng))
		st := pick(rng, logStreams)
		e.resource = audit.Resource{Type: "log_stream", ID: uuid.NewSHA1(w.org, []byte(st.name)).String(), Name: st.name}
		e.details = changes("categories", []string{}, []string{"AUTHENTICATION"})
		e.details["destination"] = st.destination
	case audit.PausedLogStream, audit.ResumedLogStream:
		e.byUser(w.admin(rng))
		st := pick(rng, logStreams)
		e.resource = audit.Resource{Type: "log_stream", ID: uuid.NewSHA1(w.org, []byte(st.name)).String(), Name: st.name}
		e.details = audit.Details{"destination": st.destination}
	case audit.ExportedAuditLog:
		e.byOperator(w, rng, true)
		e.resource = audit.Resource{Type: "audit_log", ID: w.org.String(), Name: "Audit log"}
		e.details = audit.Details{"format": pick(rng, []string{"csv", "ndjson"}), "filter": map[string]any{"range": "LAST_30_DAYS"}}
	default:
		panic(fmt.Sprintf("seed: no generator for action %s", e.action))
	}
}

// logStreams are the streams the seeded organizations send their log to.
var logStreams = []struct{ name, destination, format string }{
	{"Splunk", "SPLUNK_HEC", "JSON"}, {"Datadog", "DATADOG", "OCSF"}, {"Archive", "S3", "JSON"}, {"SIEM", "SYSLOG", "CEF"},
}

func (w *world) issuer(provider string) string {
	for _, p := range identityProviders {
		if p.name == provider {
			if p.issuer == "https://accounts.google.com" || p.issuer == "https://oauth.id.jumpcloud.com/" {
				return p.issuer
			}
			return fmt.Sprintf(p.issuer, w.slug)
		}
	}
	return "https://idp." + w.slug + ".example"
}

func pickPermission(rng *rand.Rand) string { return pick(rng, permissionNames) }

func externalID(id uuid.UUID) string { return "00u" + id.String()[:8] + id.String()[24:] }

// row encodes e as the values of copyColumns.
func (e *event) row(org uuid.UUID, at time.Time, id uuid.UUID, requestID string, dst []any) ([]any, error) {
	details, err := json.Marshal(e.details)
	if err != nil {
		return nil, fmt.Errorf("seed: encode details of %s: %w", e.action, err)
	}
	var ip any
	if e.ip.IsValid() {
		ip = e.ip
	}
	return append(dst[:0],
		[16]byte(org), at, [16]byte(id), string(e.action),
		string(e.actor.Type), e.actor.ID, e.actor.Email, e.actor.Name,
		e.resource.Type, e.resource.ID, e.resource.Name,
		details, ip, e.ua, requestID,
	), nil
}

// copyColumns are the audit_events columns the seeder writes, in row order.
var copyColumns = []string{
	"organization_id", "occurred_at", "id", "action",
	"actor_type", "actor_id", "actor_email", "actor_name",
	"resource_type", "resource_id", "resource_name",
	"details", "ip_address", "user_agent", "request_id",
}
