package seed

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/rbac"
)

// world is one organization's cast: the people, machines and resources its
// audit events talk about. Events draw from it so that the same actors and
// resources recur, as they do in a real log.
type world struct {
	org     uuid.UUID
	orgName string
	slug    string
	idp     identityProvider

	users      []person
	userCum    []float64 // cumulative activity weights of users
	admins     []person
	newcomers  []person // invited, joined or provisioned during the window
	serviceAcc []machine
	apiKeys    []apiKey
	accessKeys []accessKey
	scim       machine // the identity provider's SCIM client

	roles       []named
	connectors  []connector
	secrets     []named
	groups      []named
	oidc        []named
	scimTokens  []named
	scimClients []named
	siblings    []named
}

type person struct {
	id    uuid.UUID
	email string
	name  string
	ip    netip.Addr
	ua    string
}

type machine struct {
	id   uuid.UUID
	name string
	ip   netip.Addr
	ua   string
}

type named struct {
	id   uuid.UUID
	name string
}

type apiKey struct {
	named
	prefix  string
	account machine
}

type accessKey struct {
	named
	prefix      string
	permissions []string
}

type connector struct {
	named
	kind string
}

type identityProvider struct {
	name   string
	issuer string
	scimUA string
}

var (
	firstNames = []string{"Ada", "Alan", "Amara", "Bea", "Carlos", "Chen", "Dana", "Diego", "Elif", "Emma",
		"Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jonas", "Julia", "Kenji",
		"Lena", "Liam", "Maya", "Mateo", "Nadia", "Noah", "Olga", "Omar", "Priya", "Quinn",
		"Rosa", "Sami", "Sofia", "Tariq", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe"}
	lastNames = []string{"Adams", "Bauer", "Costa", "Dubois", "Eriksson", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
		"Kowalski", "Larsen", "Martin", "Nakamura", "Okafor", "Patel", "Quintero", "Rossi", "Schmidt", "Tanaka",
		"Ulrich", "Varga", "Walker", "Xu", "Yilmaz", "Zhang", "Novak", "Moreau", "Silva", "Brennan"}

	browserAgents = []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
	}
	apiAgents = []string{
		"terraform-provider-orgtrail/1.6.0", "orgtrail-cli/0.9.2", "python-requests/2.32.3",
		"curl/8.5.0", "Go-http-client/2.0", "axios/1.7.7",
	}
	identityProviders = []identityProvider{
		{"Okta", "https://%s.okta.com", "Okta SCIM 2.0 Client"},
		{"Microsoft Entra ID", "https://login.microsoftonline.com/%s/v2.0", "Azure AD SCIM Provisioning"},
		{"Google Workspace", "https://accounts.google.com", "Google-SCIM/1.0"},
		{"OneLogin", "https://%s.onelogin.com/oidc/2", "OneLogin SCIM"},
		{"JumpCloud", "https://oauth.id.jumpcloud.com/", "JumpCloud SCIM Client"},
	}
	roleNames = []string{"Admin", "Member", "Viewer", "Billing Manager", "Security Auditor", "Data Engineer",
		"Analyst", "Support Agent", "Developer", "Release Manager", "Secrets Reader", "Connector Admin",
		"SCIM Operator", "Compliance Officer", "Read Only", "Contractor", "On-call Engineer", "Finance"}
	connectorKinds = []struct{ kind, name string }{
		{"snowflake", "Snowflake analytics"}, {"postgres", "Postgres prod replica"}, {"salesforce", "Salesforce CRM"},
		{"s3", "S3 data lake"}, {"bigquery", "BigQuery marketing"}, {"hubspot", "HubSpot"},
		{"mysql", "MySQL billing"}, {"stripe", "Stripe payments"}, {"zendesk", "Zendesk tickets"},
		{"redshift", "Redshift warehouse"}, {"gcs", "GCS exports"}, {"kafka", "Kafka events"},
	}
	secretNames = []string{"STRIPE_API_KEY", "DATABASE_PASSWORD", "SENDGRID_API_KEY", "AWS_SECRET_ACCESS_KEY",
		"GITHUB_TOKEN", "SLACK_WEBHOOK_URL", "SNOWFLAKE_PASSWORD", "DATADOG_API_KEY", "SENTRY_DSN",
		"OPENAI_API_KEY", "TWILIO_AUTH_TOKEN", "JWT_SIGNING_KEY", "REDIS_PASSWORD", "PAGERDUTY_TOKEN"}
	groupNames = []string{"Engineering", "Sales", "Marketing", "Finance", "Support", "Security", "Data",
		"Product", "Design", "Legal", "People Ops", "Contractors", "Leadership", "On-call"}
	serviceAccountNames = []string{"terraform", "ci-deployer", "data-sync", "backup-agent", "looker-export",
		"airflow", "monitoring", "billing-export"}
	accessKeyNames = []string{"GitHub Actions", "Grafana dashboard", "Internal admin script", "Zapier",
		"Audit export", "Nightly report"}
)

// permissionNames is the permission catalog, for grants and API access keys.
var permissionNames = func() []string {
	var names []string
	for _, p := range rbac.Catalog() {
		names = append(names, string(p.Permission))
	}
	return names
}()

// newWorld builds org's cast deterministically from rng.
func newWorld(org uuid.UUID, orgName string, rng *rand.Rand) *world {
	w := &world{org: org, orgName: orgName, slug: slugify(orgName, org)}
	w.idp = identityProviders[rng.IntN(len(identityProviders))]
	newUUID := func() uuid.UUID { return randomUUID(rng) }

	// About fifty people, each first.last unique, with Zipf-like activity so
	// that a few people are very active and some appear only rarely.
	seen := map[string]bool{}
	for len(w.users) < 56 {
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		local := strings.ToLower(first + "." + last)
		if seen[local] {
			continue
		}
		seen[local] = true
		p := person{
			id:    newUUID(),
			email: local + "@" + w.slug + ".example",
			name:  first + " " + last,
			ip:    officeOrHomeIP(rng),
			ua:    browserAgents[rng.IntN(len(browserAgents))],
		}
		w.users = append(w.users, p)
	}
	// The last six join during the window.
	w.users, w.newcomers = w.users[:50], w.users[50:]
	w.admins = w.users[:4]
	w.userCum = make([]float64, len(w.users))
	total := 0.0
	for i := range w.users {
		total += 1 / float64(i+1)
		w.userCum[i] = total
	}
	for i := range w.userCum {
		w.userCum[i] /= total
	}

	for _, name := range serviceAccountNames[:3+rng.IntN(len(serviceAccountNames)-2)] {
		sa := machine{id: newUUID(), name: name, ip: cloudIP(rng), ua: apiAgents[rng.IntN(len(apiAgents))]}
		w.serviceAcc = append(w.serviceAcc, sa)
		for _, env := range []string{"prod", "staging"}[:1+rng.IntN(2)] {
			w.apiKeys = append(w.apiKeys, apiKey{named: named{newUUID(), name + "-" + env}, prefix: keyPrefix("otk_", rng), account: sa})
		}
	}
	for _, name := range accessKeyNames[:2+rng.IntN(len(accessKeyNames)-1)] {
		k := accessKey{named: named{newUUID(), name}, prefix: keyPrefix("ota_", rng)}
		for _, p := range rng.Perm(len(permissionNames))[:1+rng.IntN(4)] {
			k.permissions = append(k.permissions, permissionNames[p])
		}
		w.accessKeys = append(w.accessKeys, k)
	}
	w.scim = machine{id: newUUID(), name: w.idp.name + " SCIM", ip: cloudIP(rng), ua: w.idp.scimUA}

	for _, name := range roleNames {
		w.roles = append(w.roles, named{newUUID(), name})
	}
	for _, c := range connectorKinds[:4+rng.IntN(len(connectorKinds)-3)] {
		w.connectors = append(w.connectors, connector{named: named{newUUID(), c.name}, kind: c.kind})
	}
	for _, name := range secretNames {
		w.secrets = append(w.secrets, named{newUUID(), name})
	}
	for _, name := range groupNames[:5+rng.IntN(len(groupNames)-4)] {
		w.groups = append(w.groups, named{newUUID(), name})
	}
	w.oidc = append(w.oidc, named{newUUID(), w.idp.name})
	if other := identityProviders[rng.IntN(len(identityProviders))]; other.name != w.idp.name {
		w.oidc = append(w.oidc, named{newUUID(), other.name})
	}
	w.scimTokens = []named{{newUUID(), w.idp.name + " provisioning"}, {newUUID(), w.idp.name + " provisioning (rotated)"}}
	w.scimClients = []named{{newUUID(), w.idp.name + " OAuth client"}}
	for _, suffix := range []string{"Staging", "EU", "Sandbox"} {
		w.siblings = append(w.siblings, named{newUUID(), truncate(orgName+" "+suffix, 100)})
	}
	return w
}

// user picks a member, weighted by activity.
func (w *world) user(rng *rand.Rand) person {
	q := rng.Float64()
	lo, hi := 0, len(w.userCum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.userCum[mid] < q {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return w.users[lo]
}

func (w *world) admin(rng *rand.Rand) person { return w.admins[rng.IntN(len(w.admins))] }

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// slugify turns an organization name into the domain label of its people's
// emails ("Acme Corp" → "acme-corp").
func slugify(name string, org uuid.UUID) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = "org-" + org.String()[:8]
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// randomUUID returns a version 4 UUID drawn from rng, so seeds are reproducible.
func randomUUID(rng *rand.Rand) uuid.UUID {
	var u uuid.UUID
	putUint64(u[:8], rng.Uint64())
	putUint64(u[8:], rng.Uint64())
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

func putUint64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (56 - 8*i))
	}
}

func keyPrefix(kind string, rng *rand.Rand) string {
	return fmt.Sprintf("%s%08x", kind, rng.Uint32())
}

// officeOrHomeIP returns an address from the documentation ranges (RFC 5737,
// RFC 3849), so seeded data never names a real network.
func officeOrHomeIP(rng *rand.Rand) netip.Addr {
	switch rng.IntN(10) {
	case 0:
		return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, byte(rng.IntN(16)), 0, 0, 0, 0, 0, 0, byte(rng.IntN(256)), byte(rng.IntN(256))})
	case 1, 2, 3:
		return netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + rng.IntN(254))})
	default:
		return netip.AddrFrom4([4]byte{203, 0, 113, byte(1 + rng.IntN(254))})
	}
}

func cloudIP(rng *rand.Rand) netip.Addr {
	return netip.AddrFrom4([4]byte{192, 0, 2, byte(1 + rng.IntN(254))})
}
