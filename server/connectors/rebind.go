package connectors

import (
	"crypto/subtle"
	"maps"
	"slices"
	"strings"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// The rule that binds a credential to where it is sent (docs/security.md,
// rule 5) is written here once, for every kind of thing described by a
// TypeInfo that sends stored credentials somewhere: connectors, and log
// streams' destinations (server/logstreams).

// UpdateConfig merges given into stored (a given field replaces the stored
// one, a null one goes back to its default), validates the result, records
// each changed field in changes, and returns the new configuration (nil
// when nothing changed) and the Destination fields that changed: the
// caller then clears the stored credentials unless new ones are given
// (MergeCredentials).
func (ti TypeInfo) UpdateConfig(stored Config, given map[string]any, changes audit.Changes) (Config, []string, error) {
	old, err := ti.NormalizeConfig(stored)
	if err != nil {
		old = stored // stored under older rules: compare as stored
	}
	next, err := ti.NormalizeConfig(merge(old, given))
	if err != nil {
		return nil, nil, err
	}
	var destination []string
	for _, f := range ti.Config {
		if changes.Set(f.Name, old[f.Name], next[f.Name]) && f.Destination {
			destination = append(destination, f.Name)
		}
	}
	if maps.Equal(old, next) {
		return nil, destination, nil
	}
	return next, destination, nil
}

// MergeCredentials applies the given credential fields to the stored ones
// and returns the result and what happened to each field that changed.
// stored is nil when the stored credentials do not decrypt; storedFields
// names the fields they hold.
//
// A credential is bound to the destination it was entered for: when the
// update changes a destination field (destination names them), no stored
// credential is kept; only the ones given in this update are, and each
// stored one not given is Cleared. Otherwise a given field replaces the
// stored one, a null one removes it (Changed both), and the rest stay. When
// the stored credentials do not decrypt and the destination stays, only a
// full replacement is accepted, and every field given or stored counts as
// changed.
func (ti TypeInfo) MergeCredentials(stored map[string]string, storedFields []string, given map[string]any,
	destination []string) (map[string]string, map[string]secrets.WriteOnlyChange, error) {
	rebind := len(destination) > 0
	broken := stored == nil
	if broken {
		if !rebind {
			for _, f := range storedFields {
				if _, ok := given[f]; !ok {
					return nil, nil, apperr.Invalid("credentials",
						"the stored credentials cannot be decrypted: give every credential field (%s) again",
						strings.Join(storedFields, ", "))
				}
			}
		}
		stored = map[string]string{}
	}
	merged := map[string]any{}
	if !rebind {
		for k, v := range stored {
			merged[k] = v
		}
	}
	maps.Copy(merged, given)
	if rebind {
		for _, f := range ti.Credentials {
			if _, ok := given[f.Name]; f.Required && !ok && slices.Contains(storedFields, f.Name) {
				return nil, nil, apperr.Invalid("credentials."+f.Name,
					"changing %s clears the stored credentials: give %s again in the same update",
					strings.Join(destination, ", "), f.Name)
			}
		}
	}
	next, err := ti.NormalizeCredentials(merged)
	if err != nil {
		return nil, nil, err
	}
	changed := map[string]secrets.WriteOnlyChange{}
	for _, f := range ti.Credentials {
		was, had := stored[f.Name]
		is, has := next[f.Name]
		if broken {
			had = slices.Contains(storedFields, f.Name)
		}
		_, mentioned := given[f.Name]
		switch {
		case !had && !has:
		case rebind && had && !mentioned:
			changed[f.Name] = secrets.Cleared
		case broken || had != has || subtle.ConstantTimeCompare([]byte(was), []byte(is)) != 1:
			changed[f.Name] = secrets.Changed
		}
	}
	return next, changed, nil
}
