// Package logstreams sends organizations' audit logs, as they grow, to their
// SIEMs and storage: an HTTPS webhook, Splunk's HTTP Event Collector,
// Datadog Logs, S3-compatible storage and syslog over TLS, as native JSON,
// OCSF or CEF. A stream's position is a sequence number of the
// organization's verifiable log (server/auditlog): delivery is at least
// once, in the log's order, nothing skipped, and survives restarts,
// replicas and a receiver down for a week. The design and its costs:
// docs/streams.md.
package logstreams

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/lib/pq"
	"gorm.io/gorm/clause"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/connectors"
	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/displaytext"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// PurposeCredentials is the secrets.Binding purpose of stream credentials.
const PurposeCredentials = "log-stream-credentials"

// Credentials is where stream credentials are sealed, for key rotation.
var Credentials = secrets.EncryptedColumn{Table: "log_streams", Ciphertext: "credentials_ciphertext",
	KeyVersion: "credentials_key_version", Purpose: PurposeCredentials}

// Stream is a log stream as stored.
type Stream struct {
	ID                    uuid.UUID
	OrganizationID        uuid.UUID
	Name                  string
	Destination           Destination
	Format                Format
	Config                connectors.Config `gorm:"type:jsonb"`
	CredentialsCiphertext []byte
	CredentialsKeyVersion string
	CredentialFields      pq.StringArray `gorm:"type:text[]"`
	Categories            pq.StringArray `gorm:"type:text[]"`
	Actions               pq.StringArray `gorm:"type:text[]"`
	Paused                bool

	NextSequence     int64
	AttemptedThrough int64 `gorm:"->"`
	DeliveredEvents  int64 `gorm:"->"`
	ResentEvents     int64 `gorm:"->"`
	LastDeliveryAt   *time.Time
	Attempts         int        `gorm:"->"`
	RetryingSince    *time.Time `gorm:"->"`
	NextAttemptAt    time.Time  `gorm:"->"`
	LastError        *string
	LastErrorAt      *time.Time
	FailedAt         *time.Time
	FailureReason    *string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// TableName is log_streams.
func (Stream) TableName() string { return "log_streams" }

// AuditTarget implements audit.Target.
func (s *Stream) AuditTarget() (uuid.UUID, audit.Resource) {
	return s.OrganizationID, audit.Resource{Type: "log_stream", ID: s.ID.String(), Name: s.Name}
}

func (s *Stream) binding() secrets.Binding {
	return secrets.Binding{Purpose: PurposeCredentials, OrganizationID: s.OrganizationID, ID: s.ID}
}

// State is what a stream is doing, as the Streams page shows it.
type State string

// The states.
const (
	Active   State = "ACTIVE"
	Retrying State = "RETRYING"
	Failed   State = "FAILED"
	Paused   State = "PAUSED"
)

// State returns the stream's state.
func (s *Stream) State() State {
	switch {
	case s.Paused:
		return Paused
	case s.FailedAt != nil:
		return Failed
	case s.Attempts > 0:
		return Retrying
	}
	return Active
}

// Selects reports whether the stream sends events of action a: those of
// its categories and actions, or every event when it names none.
func (s *Stream) Selects(a audit.Action) bool {
	if len(s.Categories) == 0 && len(s.Actions) == 0 {
		return true
	}
	return slices.Contains(s.Categories, string(a.Category())) || slices.Contains(s.Actions, string(a))
}

// Service manages streams; Deliverer sends them.
type Service struct {
	db   *database.DB
	keys *secrets.Keyring
	log  *slog.Logger
	// host names this server in what streams send (syslog HOSTNAME).
	host string
	// TestTimeout bounds a test event's delivery.
	TestTimeout time.Duration
}

// NewService returns the stream service; host names this server to receivers.
func NewService(db *database.DB, keys *secrets.Keyring, log *slog.Logger, host string) *Service {
	return &Service{db: db, keys: keys, log: log, host: host, TestTimeout: 10 * time.Second}
}

// Filter is which events a stream sends: those of these categories or these
// actions; both empty, every event.
type Filter struct {
	Categories []audit.Category
	Actions    []audit.Action
}

// CreateCommand is the input of Create.
type CreateCommand struct {
	Name        string
	Destination Destination
	// Format is empty for the destination's first format.
	Format      Format
	Config      map[string]any
	Credentials map[string]any
	Filter      Filter
	Paused      bool
}

// UpdateCommand is the input of Update; nil fields are left alone. Config
// and Credentials are merged into the stored ones as a connector's are
// (connectors.TypeInfo.UpdateConfig and MergeCredentials): changing where a
// stream sends clears its stored credentials unless new ones are given.
type UpdateCommand struct {
	ID          uuid.UUID
	Name        *string
	Format      *Format
	Config      map[string]any
	Credentials map[string]any
	Filter      *Filter
}

// Saved is a stream as a change left it, with the webhook signing secret
// when the change generated one: shown once, never again.
type Saved struct {
	Stream
	SigningSecret string
}

// List returns the organization's streams by name.
func (s *Service) List(ctx context.Context, org uuid.UUID) ([]Stream, error) {
	var out []Stream
	err := s.db.Conn(ctx).Omit("credentials_ciphertext").Where("organization_id = ?", org).Order("lower(name)").Find(&out).Error
	return out, err
}

// Get returns one stream of the organization.
func (s *Service) Get(ctx context.Context, org, id uuid.UUID) (Stream, error) {
	var st Stream
	err := s.db.Conn(ctx).Omit("credentials_ciphertext").Where("organization_id = ? AND id = ?", org, id).Take(&st).Error
	if database.IsNotFound(err) {
		return Stream{}, apperr.NotFoundf("log stream %s not found", id)
	}
	return st, err
}

// Create validates and stores a stream, its credentials sealed. It starts
// at the end of the log: the first event it sends is the first sequenced
// after it was created (its own "Created log stream" among them).
func (s *Service) Create(ctx context.Context, org uuid.UUID, cmd CreateCommand) (Saved, error) {
	name, err := displaytext.Name("name", cmd.Name)
	if err != nil {
		return Saved{}, err
	}
	info, ok := cmd.Destination.Info()
	if !ok {
		return Saved{}, apperr.Invalid("destination", "unknown destination %q", clip(string(cmd.Destination)))
	}
	format, err := validFormat(info, cmd.Format)
	if err != nil {
		return Saved{}, err
	}
	config, err := info.NormalizeConfig(cmd.Config)
	if err != nil {
		return Saved{}, err
	}
	creds, err := info.NormalizeCredentials(cmd.Credentials)
	if err != nil {
		return Saved{}, err
	}
	filter, err := validFilter(cmd.Filter)
	if err != nil {
		return Saved{}, err
	}
	out := Saved{Stream: Stream{ID: uuid.Must(uuid.NewV7()), OrganizationID: org, Name: name, Destination: info.Destination,
		Format: format, Config: config, Paused: cmd.Paused}}
	out.Categories, out.Actions = filter.strings()
	if info.Destination == Webhook && creds["secret"] == "" {
		out.SigningSecret = newSigningSecret()
		creds["secret"] = out.SigningSecret
	}
	if err := s.seal(&out.Stream, creds); err != nil {
		return Saved{}, err
	}
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		if err := tx.Raw(`SELECT coalesce((SELECT size FROM audit_logs WHERE organization_id = ?), 0)`, org).
			Scan(&out.NextSequence).Error; err != nil {
			return err
		}
		change := audit.Change{Action: audit.CreatedLogStream, Details: audit.Details{
			"destination": out.Destination, "format": out.Format, "config": config,
			"credentialFields": []string(out.CredentialFields), "categories": []string(out.Categories),
			"actions": []string(out.Actions), "paused": out.Paused,
		}}
		err := audit.Audited(tx, change).Omit("attempted_through", "delivered_events", "resent_events", "attempts",
			"retrying_since", "next_attempt_at").Create(&out.Stream).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a log stream named %q already exists", name)
		}
		return err
	})
	if err != nil {
		return Saved{}, err
	}
	out.CredentialsCiphertext = nil
	return out, nil
}

// Update renames a stream or changes its format, filter, settings or
// credentials. An update that changes nothing records nothing. A webhook
// left without a signing secret (its URL changed and none was given) gets a
// new one, shown once.
func (s *Service) Update(ctx context.Context, org uuid.UUID, cmd UpdateCommand) (Saved, error) {
	var generated string
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		var st Stream
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("organization_id = ? AND id = ?", org, cmd.ID).Take(&st).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("log stream %s not found", cmd.ID)
		}
		if err != nil {
			return err
		}
		info, ok := st.Destination.Info()
		if !ok {
			return apperr.Invalid("id", "log stream %s has an unknown destination", st.ID)
		}
		u := audit.NewUpdate()
		var name string
		if cmd.Name != nil {
			if name, err = displaytext.Name("name", *cmd.Name); err != nil {
				return err
			}
			u.Set("name", "name", st.Name, name)
		}
		if cmd.Format != nil {
			f, err := validFormat(info, *cmd.Format)
			if err != nil {
				return err
			}
			u.Set("format", "format", st.Format, f)
		}
		if cmd.Filter != nil {
			f, err := validFilter(*cmd.Filter)
			if err != nil {
				return err
			}
			categories, actions := f.strings()
			// Compared joined (slices are not comparable); stored as text[].
			u.SetStored("categories", "categories", strings.Join(st.Categories, ","), strings.Join(categories, ","), categories)
			u.SetStored("actions", "actions", strings.Join(st.Actions, ","), strings.Join(actions, ","), actions)
		}
		var destination []string
		if cmd.Config != nil {
			next, changed, err := info.UpdateConfig(st.Config, cmd.Config, u.Changes)
			if err != nil {
				return err
			}
			destination = changed
			if next != nil {
				u.Columns["config"] = next
			}
		}
		var credentialChanges map[string]secrets.WriteOnlyChange
		if cmd.Credentials != nil || (len(destination) > 0 && len(st.CredentialFields) > 0) {
			old, err := s.open(st)
			if err != nil {
				s.log.WarnContext(ctx, "log stream credentials do not decrypt; replacing them", "log_stream_id", st.ID, "error", err)
				old = nil
			}
			next, changed, err := info.MergeCredentials(old, st.CredentialFields, cmd.Credentials, destination)
			if err != nil {
				return err
			}
			if info.Destination == Webhook && next["secret"] == "" {
				generated = newSigningSecret()
				next["secret"] = generated
				changed["secret"] = secrets.Changed
			}
			if len(changed) > 0 {
				sealed := st
				if err := s.seal(&sealed, next); err != nil {
					return err
				}
				u.Columns["credentials_ciphertext"] = sealed.CredentialsCiphertext
				u.Columns["credentials_key_version"] = sealed.CredentialsKeyVersion
				u.Columns["credential_fields"] = sealed.CredentialFields
				credentialChanges = changed
			} else {
				generated = ""
			}
		}
		if u.Empty() {
			return nil
		}
		u.Columns["updated_at"] = time.Now().UTC()
		change := audit.Change{Action: audit.UpdatedLogStream, Details: audit.Details{
			"destination": st.Destination, "changes": secrets.ChangeDetails(u.Changes, credentialChanges),
		}}
		err = audit.Audited(tx, change).Model(&st).Where("organization_id = ?", org).Updates(u.Columns).Error
		if database.IsUniqueViolation(err) {
			return apperr.ConflictOn("name", "a log stream named %q already exists", name)
		}
		return err
	})
	if err != nil {
		return Saved{}, err
	}
	st, err := s.Get(ctx, org, cmd.ID)
	return Saved{Stream: st, SigningSecret: generated}, err
}

// Pause stops a stream where it is; Resume takes it up from there. Resuming
// a failed stream clears its failure and tries again at once, from the
// first event it could not deliver. Pausing a paused stream, or resuming an
// active one, changes and records nothing.
func (s *Service) Pause(ctx context.Context, org, id uuid.UUID) (Stream, error) {
	return s.setPaused(ctx, org, id, true)
}

// Resume: see Pause.
func (s *Service) Resume(ctx context.Context, org, id uuid.UUID) (Stream, error) {
	return s.setPaused(ctx, org, id, false)
}

func (s *Service) setPaused(ctx context.Context, org, id uuid.UUID, paused bool) (Stream, error) {
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		tx := s.db.Conn(ctx)
		var st Stream
		err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Omit("credentials_ciphertext").
			Where("organization_id = ? AND id = ?", org, id).Take(&st).Error
		if database.IsNotFound(err) {
			return apperr.NotFoundf("log stream %s not found", id)
		}
		if err != nil {
			return err
		}
		action := audit.PausedLogStream
		updates := map[string]any{"paused": paused, "updated_at": time.Now().UTC()}
		details := audit.Details{"destination": st.Destination, "nextSequence": st.NextSequence}
		if !paused {
			if !st.Paused && st.FailedAt == nil {
				return nil
			}
			action = audit.ResumedLogStream
			if st.FailedAt != nil {
				details["failureReason"] = st.FailureReason
			}
			updates["failed_at"], updates["failure_reason"] = nil, nil
			updates["attempts"], updates["retrying_since"] = 0, nil
			updates["next_attempt_at"] = time.Now().UTC()
		} else if st.Paused {
			return nil
		}
		return audit.Audited(tx, audit.Change{Action: action, Details: details}).Model(&st).
			Where("organization_id = ?", org).Updates(updates).Error
	})
	if err != nil {
		return Stream{}, err
	}
	return s.Get(ctx, org, id)
}

// Delete removes a stream and its credentials.
func (s *Service) Delete(ctx context.Context, org, id uuid.UUID) (Stream, error) {
	var st Stream
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var err error
		if st, err = s.Get(ctx, org, id); err != nil {
			return err
		}
		change := audit.Change{Action: audit.DeletedLogStream, Details: audit.Details{
			"destination": st.Destination, "nextSequence": st.NextSequence, "deliveredEvents": st.DeliveredEvents}}
		res := audit.Audited(s.db.Conn(ctx), change).Where("organization_id = ?", org).Delete(&st)
		if res.Error == nil && res.RowsAffected == 0 {
			return apperr.NotFoundf("log stream %s not found", id)
		}
		return res.Error
	})
	return st, err
}

// Lag is how far a stream is behind its organization's log: events
// sequenced and not yet delivered, and how long the oldest of them has
// waited (zero when none).
type Lag struct {
	Events int64
	Age    time.Duration
}

// Lag returns the lag of org's stream whose position is next.
func (s *Service) Lag(ctx context.Context, org uuid.UUID, next int64) (Lag, error) {
	var size int64
	if err := s.db.Conn(ctx).Raw(`SELECT coalesce((SELECT size FROM audit_logs WHERE organization_id = ?), 0)`,
		org).Scan(&size).Error; err != nil {
		return Lag{}, err
	}
	lag := Lag{Events: max(size-next, 0)}
	if lag.Events == 0 {
		return lag, nil
	}
	recs, _, err := readLog(ctx, s.db.Conn(ctx), org, next, 1)
	if err != nil || len(recs) == 0 {
		return lag, err
	}
	lag.Age = max(time.Since(recs[0].Event.OccurredAt), 0)
	return lag, nil
}

// TestResult is what sending a test event did.
type TestResult struct {
	OK       bool
	Message  string
	Duration time.Duration
}

// SendTest sends one made-up event, marked as a test, through the stream as
// it is configured (its destination, format and credentials), at once, and
// reports what happened. It does not move the stream's position, nor is it
// recorded: it changes nothing.
func (s *Service) SendTest(ctx context.Context, org, id uuid.UUID) (TestResult, error) {
	var st Stream
	err := s.db.Conn(ctx).Where("organization_id = ? AND id = ?", org, id).Take(&st).Error
	if database.IsNotFound(err) {
		return TestResult{}, apperr.NotFoundf("log stream %s not found", id)
	}
	if err != nil {
		return TestResult{}, err
	}
	creds, err := s.open(st)
	if err != nil {
		return TestResult{Message: "the stream's credentials cannot be decrypted: enter them again"}, nil
	}
	snd, err := newSender(st.Destination, senderConfig{streamID: st.ID.String(), config: st.Config, creds: creds,
		format: st.Format, org: org.String(), host: s.host, timeout: s.TestTimeout})
	if err != nil {
		return TestResult{Message: "the stream's settings cannot be used: " + err.Error()}, nil
	}
	defer snd.close()
	actor, _ := audit.ActorFrom(ctx)
	req := audit.RequestFrom(ctx)
	now := time.Now().UTC()
	e := audit.Event{OrganizationID: org, OccurredAt: now, ID: audit.EventID(now), Action: audit.UpdatedLogStream,
		ActorType: actor.Type, ActorID: actor.ID, ActorEmail: actor.Email, ActorName: actor.Name,
		ResourceType: "log_stream", ResourceID: st.ID.String(), ResourceName: st.Name,
		DetailsJSON: `{"test": true, "message": "A test event sent from Orgtrail's Log Streams settings; it is not in the audit log."}`,
		UserAgent:   req.UserAgent, RequestID: req.RequestID}
	if req.IPAddress != "" {
		e.IPAddress = &req.IPAddress
	}
	tctx, cancel := context.WithTimeout(ctx, s.TestTimeout)
	defer cancel()
	started := time.Now()
	err = snd.send(tctx, []record{{Seq: -1, Event: e}})
	res := TestResult{OK: err == nil, Duration: time.Since(started)}
	if err != nil {
		res.Message = failureMessage(err, snd.where(), s.TestTimeout)
		s.log.InfoContext(ctx, "log stream test event not delivered", "log_stream_id", st.ID, "err", err)
	} else {
		res.Message = "The test event was delivered to " + snd.where() + "."
	}
	return res, nil
}

func (s *Service) seal(st *Stream, creds map[string]string) error {
	plain, err := json.Marshal(creds)
	if err != nil {
		return err
	}
	sealed, err := s.keys.Seal(plain, st.binding())
	clear(plain)
	if err != nil {
		return err
	}
	st.CredentialsCiphertext, st.CredentialsKeyVersion = sealed.Ciphertext, sealed.KeyVersion
	names := slices.Sorted(maps.Keys(creds))
	if names == nil {
		names = []string{}
	}
	st.CredentialFields = pq.StringArray(names)
	return nil
}

// open decrypts st's credentials; st must have been loaded with them.
func (s *Service) open(st Stream) (map[string]string, error) {
	return openCredentials(s.keys, st)
}

func openCredentials(keys *secrets.Keyring, st Stream) (map[string]string, error) {
	plain, err := keys.Open(secrets.Sealed{Ciphertext: st.CredentialsCiphertext, KeyVersion: st.CredentialsKeyVersion}, st.binding())
	if err != nil {
		return nil, err
	}
	defer clear(plain)
	creds := map[string]string{}
	if err := json.Unmarshal(plain, &creds); err != nil {
		return nil, err
	}
	return creds, nil
}

// newSigningSecret is a webhook's signing secret: 256 random bits.
func newSigningSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}

func validFormat(info DestinationInfo, f Format) (Format, error) {
	if f == "" {
		return info.Formats[0], nil
	}
	if !slices.Contains(info.Formats, f) {
		names := make([]string, len(info.Formats))
		for i, x := range info.Formats {
			names[i] = string(x)
		}
		return "", apperr.Invalid("format", "%s streams carry %s", info.Label, strings.Join(names, " or "))
	}
	return f, nil
}

func validFilter(f Filter) (Filter, error) {
	out := Filter{}
	for _, c := range f.Categories {
		if !c.Valid() {
			return Filter{}, apperr.Invalid("filter.categories", "unknown category %q", clip(string(c)))
		}
		if !slices.Contains(out.Categories, c) {
			out.Categories = append(out.Categories, c)
		}
	}
	for _, a := range f.Actions {
		if !a.Valid() {
			return Filter{}, apperr.Invalid("filter.actions", "unknown action %q", clip(string(a)))
		}
		if !slices.Contains(out.Actions, a) {
			out.Actions = append(out.Actions, a)
		}
	}
	slices.Sort(out.Categories)
	slices.Sort(out.Actions)
	return out, nil
}

func (f Filter) strings() (pq.StringArray, pq.StringArray) {
	c, a := pq.StringArray{}, pq.StringArray{}
	for _, x := range f.Categories {
		c = append(c, string(x))
	}
	for _, x := range f.Actions {
		a = append(a, string(x))
	}
	return c, a
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 64 {
		return string([]rune(s)[:64]) + "…"
	}
	return s
}
