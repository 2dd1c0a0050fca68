package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/netguard"
)

const (
	// discoveryTimeout bounds one fetch of a discovery document.
	discoveryTimeout = 5 * time.Second
	// discoveryTTL is how long a discovered provider (its endpoints and its
	// cached signing keys) is reused for sign-ins.
	discoveryTTL = time.Hour
)

// discoveryCache fetches issuers' discovery documents and keeps the result
// per issuer, so sign-ins reuse the endpoints and the key set go-oidc caches.
type discoveryCache struct {
	client *http.Client

	mu      sync.Mutex
	entries map[string]discovered
}

type discovered struct {
	provider *gooidc.Provider
	at       time.Time
}

func newDiscoveryCache(client *http.Client) *discoveryCache {
	return &discoveryCache{client: client, entries: map[string]discovered{}}
}

// provider returns the discovered provider of issuer, fetching it when not
// cached or stale.
func (d *discoveryCache) provider(ctx context.Context, issuer string) (*gooidc.Provider, error) {
	d.mu.Lock()
	e, ok := d.entries[issuer]
	d.mu.Unlock()
	if ok && time.Since(e.at) < discoveryTTL {
		return e.provider, nil
	}
	return d.fetch(ctx, issuer)
}

func (d *discoveryCache) fetch(ctx context.Context, issuer string) (*gooidc.Provider, error) {
	ctx, cancel := context.WithTimeout(ctx, discoveryTimeout)
	defer cancel()
	p, err := gooidc.NewProvider(gooidc.ClientContext(ctx, d.client), issuer)
	if err != nil {
		return nil, err
	}
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := p.Claims(&meta); err != nil || meta.JWKSURI == "" || p.Endpoint().AuthURL == "" || p.Endpoint().TokenURL == "" {
		return nil, errNotADiscoveryDocument
	}
	d.mu.Lock()
	d.entries[issuer] = discovered{provider: p, at: time.Now()}
	d.mu.Unlock()
	return p, nil
}

var errNotADiscoveryDocument = errors.New("oidc: the discovery document lacks authorization_endpoint, token_endpoint or jwks_uri")

// validate fetches issuer's discovery document afresh and explains, as bad
// input on the issuer field, why it is not a usable OIDC issuer.
func (d *discoveryCache) validate(ctx context.Context, issuer string) error {
	_, err := d.fetch(ctx, issuer)
	if err == nil {
		return nil
	}
	wellKnown := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	var mismatch *gooidc.IssuerMismatchError
	var netErr *url.Error
	var refused netguard.RefusedError
	switch {
	case errors.As(err, &refused):
		return &apperr.Error{Code: apperr.BadUserInput, Field: "issuer", Cause: err,
			Message: fmt.Sprintf("will not fetch %s: %s", wellKnown, refused.Error())}
	case errors.As(err, &mismatch):
		return &apperr.Error{Code: apperr.BadUserInput, Field: "issuer", Cause: err, Message: fmt.Sprintf(
			"%s is not an OIDC issuer: its discovery document names the issuer %q; enter exactly that", issuer, mismatch.Discovered)}
	case errors.As(err, &netErr):
		return &apperr.Error{Code: apperr.BadUserInput, Field: "issuer", Cause: err,
			Message: fmt.Sprintf("could not reach %s", wellKnown)}
	default:
		return &apperr.Error{Code: apperr.BadUserInput, Field: "issuer", Cause: err,
			Message: fmt.Sprintf("%s is not an OIDC issuer: %s is not an OpenID Connect discovery document", issuer, wellKnown)}
	}
}
