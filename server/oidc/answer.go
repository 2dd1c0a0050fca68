package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/url"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/signin"
)

// Where a claim came from: the verified ID token, or the provider's UserInfo
// endpoint (asked with the access token when the ID token is "thin").
const (
	ClaimFromIDToken  = "ID_TOKEN"
	ClaimFromUserInfo = "USERINFO"
)

// answer is a provider's answer to an authorization request once checked:
// the ID token's subject and the claims a sign-in reads, each with where it
// came from.
type answer struct {
	Subject string
	Claims  emailClaims
}

// answerProblem is why a provider's answer identifies nobody: the sign-in
// refusal's reason and the details its "Login failed" event records, plus
// what only the admin testing the provider is shown (the provider's own
// error description, never recorded).
type answerProblem struct {
	Reason      string
	Details     audit.Details
	Description string
}

func problem(reason, key, value string) *answerProblem {
	return &answerProblem{Reason: reason, Details: audit.Details{key: value}}
}

// readAnswer checks the provider's answer (the callback's query q) to the
// login sealed in st, the same way for a sign-in and for an admin's test of
// the provider: the state, the provider's error, the code exchange with the
// PKCE verifier, the ID token (signature, issuer, audience, expiry, nonce)
// and, when the ID token lacks the email or its verification, UserInfo for
// the same subject (OIDC Core 5.4: Okta's org authorization server, panva's
// oidc-provider). A refusal is an *answerProblem; an error is an internal
// failure.
func (s *Service) readAnswer(ctx context.Context, row *providerRow, st loginState, q url.Values) (answer, *answerProblem, error) {
	switch {
	case s.now().Unix() > st.ExpiresAt:
		return answer{}, problem(signin.ReasonBadState, "stateProblem", "expired"), nil
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(st.State)) != 1:
		return answer{}, problem(signin.ReasonBadState, "stateProblem", "mismatch"), nil
	case q.Get("error") != "":
		s.log.InfoContext(ctx, "OIDC provider refused the sign-in", "provider_id", row.ID,
			"error", q.Get("error"), "error_description", q.Get("error_description"))
		p := problem(signin.ReasonProviderError, "providerError", errorCode(q.Get("error")))
		p.Description = q.Get("error_description")
		return answer{}, p, nil
	case q.Get("code") == "":
		return answer{}, problem(signin.ReasonProviderError, "providerError", "missing_code"), nil
	}

	op, err := s.discovery.provider(ctx, row.Issuer)
	if err != nil {
		s.log.WarnContext(ctx, "OIDC provider unreachable", "provider_id", row.ID, "issuer", row.Issuer, "error", err)
		return answer{}, problem(signin.ReasonProviderError, "providerError", "discovery_failed"), nil
	}
	secret, err := s.openSecret(row)
	if err != nil {
		return answer{}, nil, fmt.Errorf("oidc: client secret of provider %s: %w", row.ID, err)
	}
	tok, err := s.oauth2Config(row, op, secret).Exchange(gooidc.ClientContext(ctx, s.client), q.Get("code"),
		oauth2.VerifierOption(st.Verifier))
	if err != nil {
		s.log.WarnContext(ctx, "OIDC code exchange failed", "provider_id", row.ID, "error", err)
		p := problem(signin.ReasonProviderError, "providerError", "token_exchange_failed")
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			p.Details["providerError"] = errorCode(re.ErrorCode)
			p.Description = re.ErrorDescription
		}
		return answer{}, p, nil
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return answer{}, problem(signin.ReasonInvalidToken, "tokenProblem", "missing_id_token"), nil
	}
	idToken, err := op.Verifier(&gooidc.Config{ClientID: row.ClientID, Now: s.now}).Verify(ctx, raw)
	if err != nil {
		s.log.InfoContext(ctx, "OIDC ID token refused", "provider_id", row.ID, "error", err)
		return answer{}, problem(signin.ReasonInvalidToken, "tokenProblem", tokenProblem(err)), nil
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(st.Nonce)) != 1 {
		return answer{}, problem(signin.ReasonInvalidToken, "tokenProblem", "nonce"), nil
	}
	var claims emailClaims
	if err := idToken.Claims(&claims); err != nil {
		return answer{}, problem(signin.ReasonInvalidToken, "tokenProblem", "malformed"), nil
	}
	claims.from(ClaimFromIDToken)
	if (claims.Email == "" || claims.EmailVerified == nil) && op.UserInfoEndpoint() != "" {
		// A "thin" ID token: the claims come from UserInfo, which must speak
		// of the same subject.
		info, err := op.UserInfo(gooidc.ClientContext(ctx, s.client), oauth2.StaticTokenSource(tok))
		if err != nil {
			s.log.WarnContext(ctx, "OIDC UserInfo request failed", "provider_id", row.ID, "error", err)
			return answer{}, problem(signin.ReasonProviderError, "providerError", "userinfo_failed"), nil
		}
		if subtle.ConstantTimeCompare([]byte(info.Subject), []byte(idToken.Subject)) != 1 {
			return answer{}, problem(signin.ReasonInvalidToken, "tokenProblem", "userinfo_subject_mismatch"), nil
		}
		var more emailClaims
		if err := info.Claims(&more); err != nil {
			return answer{}, problem(signin.ReasonInvalidToken, "tokenProblem", "malformed"), nil
		}
		more.from(ClaimFromUserInfo)
		claims = claims.completedBy(more)
	}
	return answer{Subject: idToken.Subject, Claims: claims}, nil, nil
}

// emailClaims are the claims a sign-in reads, from the ID token or
// UserInfo, with where each came from (not part of the JSON).
type emailClaims struct {
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"`
	Name          string `json:"name"`

	EmailFrom, EmailVerifiedFrom, NameFrom string `json:"-"`
}

// from records source as the origin of each claim present.
func (c *emailClaims) from(source string) {
	if c.Email != "" {
		c.EmailFrom = source
	}
	if c.EmailVerified != nil {
		c.EmailVerifiedFrom = source
	}
	if c.Name != "" {
		c.NameFrom = source
	}
}

// completedBy fills what an ID token's claims lack from UserInfo's. When
// UserInfo names an address the token does not, only its own word on that
// address (its email_verified) counts.
func (c emailClaims) completedBy(info emailClaims) emailClaims {
	if info.Email != "" && info.Email != c.Email {
		if info.Name == "" {
			info.Name, info.NameFrom = c.Name, c.NameFrom
		}
		return info
	}
	if c.EmailVerified == nil {
		c.EmailVerified, c.EmailVerifiedFrom = info.EmailVerified, info.EmailVerifiedFrom
	}
	if c.Name == "" {
		c.Name, c.NameFrom = info.Name, info.NameFrom
	}
	return c
}
