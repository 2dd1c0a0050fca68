package app

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// rig is a real server on a fresh database, driven over HTTP.
type rig struct {
	t   *testing.T
	app *App
	srv *httptest.Server
	sql *sql.DB
	log *lockedWriter
	dsn string
}

func newRig(t *testing.T) *rig { return newRigWith(t, nil) }

// newRigWith is newRig with configure's changes to the configuration.
func newRigWith(t *testing.T, configure func(*config.Config)) *rig {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	logs := &lockedWriter{w: &bytes.Buffer{}}
	cfg := config.Config{DatabaseURL: dsn, ListenAddr: "127.0.0.1:0", PublicURL: "http://orgtrail.test",
		SecretKey: bytes.Repeat([]byte{7}, 32)}
	if configure != nil {
		configure(&cfg)
	}
	a, err := New(context.Background(), cfg, logging.New(logs, slog.LevelDebug))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(); a.Close(); db.Close() })
	return &rig{t: t, app: a, srv: srv, sql: db, log: logs, dsn: dsn}
}

// tenant is a bootstrapped organization with an admin API access key.
type tenant struct {
	OrgID, AdminID, Key string
}

func (r *rig) tenant(name, admin string) tenant {
	r.t.Helper()
	res, err := r.app.Bootstrap(context.Background(), BootstrapInput{OrganizationName: name, AdminEmail: admin, APIKey: true})
	if err != nil {
		r.t.Fatal(err)
	}
	return tenant{OrgID: res.OrganizationID, AdminID: res.UserID, Key: res.APIKey}
}

type gqlError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	Status int             `json:"-"`
}

// code returns the first error's extensions.code ("" when none).
func (g gqlResponse) code() string {
	if len(g.Errors) == 0 {
		return ""
	}
	c, _ := g.Errors[0].Extensions["code"].(string)
	return c
}

// do posts a GraphQL request with key as bearer ("" for none).
func (r *rig) do(key, query string, vars map[string]any) gqlResponse {
	r.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "orgtrail-test/1.0")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		r.t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	out.Status = resp.StatusCode
	return out
}

// ok posts a request that must succeed and decodes its data into dst.
func (r *rig) ok(key, query string, vars map[string]any, dst any) {
	r.t.Helper()
	res := r.do(key, query, vars)
	if len(res.Errors) > 0 {
		r.t.Fatalf("unexpected errors: %+v\nquery: %s", res.Errors, query)
	}
	if dst != nil {
		if err := json.Unmarshal(res.Data, dst); err != nil {
			r.t.Fatal(err)
		}
	}
}

// fails posts a request that must fail with code.
func (r *rig) fails(code, key, query string, vars map[string]any) gqlResponse {
	r.t.Helper()
	res := r.do(key, query, vars)
	if res.code() != code {
		r.t.Fatalf("got errors %+v (data %s), want code %s\nquery: %s", res.Errors, res.Data, code, query)
	}
	return res
}

// storedEvent is an audit row as stored.
type storedEvent struct {
	Action, ActorType, ActorID, ActorName, ResourceType, ResourceID, ResourceName, RequestID, UserAgent string
	Details                                                                                             map[string]any
	IP                                                                                                  sql.NullString
}

// events returns the organization's audit rows, oldest first.
func (r *rig) events(org string) []storedEvent {
	r.t.Helper()
	rows, err := r.sql.Query(`SELECT action, actor_type, actor_id, actor_name, resource_type, resource_id,
		resource_name, request_id, user_agent, details, host(ip_address) FROM audit_events
		WHERE organization_id = $1 ORDER BY occurred_at, id`, org)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var out []storedEvent
	for rows.Next() {
		var e storedEvent
		var details []byte
		if err := rows.Scan(&e.Action, &e.ActorType, &e.ActorID, &e.ActorName, &e.ResourceType, &e.ResourceID,
			&e.ResourceName, &e.RequestID, &e.UserAgent, &details, &e.IP); err != nil {
			r.t.Fatal(err)
		}
		if err := json.Unmarshal(details, &e.Details); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func (r *rig) count(query string, args ...any) int {
	r.t.Helper()
	var n int
	if err := r.sql.QueryRow(query, args...).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

func (r *rig) logsContain(s string) bool { return strings.Contains(r.log.String(), s) }
