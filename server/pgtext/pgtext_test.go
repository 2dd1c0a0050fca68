package pgtext

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckRefusesNULAndInvalidUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", nil},
		{"Acme GmbH", nil},
		{"Zürich ✓ 東京", nil},
		{"tab\tand\nnewline", nil}, // control characters are a matter for each field's own rule
		{"a\x00b", ErrNUL},
		{"\x00", ErrNUL},
		{"caf\xe9", ErrInvalidUTF8},
		{"\xed\xa0\x80", ErrInvalidUTF8}, // a UTF-16 surrogate
		{"\xc0\x80", ErrInvalidUTF8},     // an overlong NUL
	} {
		if got := Check(tc.in); !errors.Is(got, tc.want) {
			t.Errorf("Check(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCheckJSONFindsNULEscapesOnlyInStrings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{`{"email":"a@b.c"}`, nil},
		{`{"a":"\\u0000"}`, nil}, // an escaped backslash, then "u0000": harmless text
		{`{"a":"x\u0000"}`, ErrNUL},
		{`{"a\u0000":1}`, ErrNUL},
		{`[1,{"b":["\u0000"]}]`, ErrNUL},
		{"{\"a\":\"caf\xe9\"}", ErrInvalidUTF8},
		{"{\"a\":\"\x00\"}", ErrNUL},
		{`not json \u0000`, nil}, // the protocol's decoder reports the syntax
	} {
		if got := CheckJSON([]byte(tc.in)); !errors.Is(got, tc.want) {
			t.Errorf("CheckJSON(%s) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestCheckValueWalksMapsAndLists(t *testing.T) {
	ok := map[string]any{"input": map[string]any{"name": "Ops", "ids": []any{"1", 2.0, nil, true}}}
	if err := CheckValue(ok); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []any{
		map[string]any{"input": map[string]any{"name": "O\x00ps"}},
		map[string]any{"input": []any{"a", "\xff"}},
		map[string]any{"k\x00": "v"},
	} {
		if err := CheckValue(bad); err == nil {
			t.Errorf("CheckValue(%#v) passed", bad)
		}
	}
}

func TestRequestMiddlewareChecksQueryFormAndJSON(t *testing.T) {
	var refused *Error
	h := Request(1<<10, func(w http.ResponseWriter, _ *http.Request, e *Error) {
		refused = e
		w.WriteHeader(http.StatusBadRequest)
	})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The handler reads the same body the check read.
		if err := r.ParseForm(); err != nil {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	for _, tc := range []struct {
		name, target, contentType, body string
		status                          int
		param                           string
	}{
		{"plain query", "/?filter=" + url.QueryEscape(`userName eq "a"`), "", "", 204, ""},
		{"NUL in a query value", "/?filter=a%00", "", "", 400, "filter"},
		{"invalid UTF-8 in a query name", "/?%ff=1", "", "", 400, "\xff"},
		{"form", "/", "application/x-www-form-urlencoded", "client_id=abc&client_secret=x", 204, ""},
		{"NUL in a form value", "/", "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=%00", 400, "client_id"},
		{"NUL escape in JSON", "/", "application/scim+json", `{"userName":"\u0000"}`, 400, ""},
		{"JSON without a type", "/", "", `{"email":"a\u0000@b.c"}`, 400, ""},
		{"body over the limit goes on to the handler", "/", "application/x-www-form-urlencoded", "a=" + strings.Repeat("b", 2<<10), 413, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused = nil
			req := httptest.NewRequest(http.MethodPost, tc.target, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			if tc.status == 400 && (refused == nil || refused.Param != tc.param) {
				t.Fatalf("refused %+v, want param %q", refused, tc.param)
			}
		})
	}
}

// FuzzCheckJSON: whatever CheckJSON lets through decodes to strings the
// database can hold, and whatever it refuses really holds such a string.
func FuzzCheckJSON(f *testing.F) {
	for _, seed := range []string{`{"a":"b"}`, `{"a":"\u0000"}`, `{"a":"\\u0000"}`, `["\ud800"]`, "\"\xff\"", `{"\u0000":1}`, `[1,2,{"x":[null,true,"y"]}]`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		err := CheckJSON(raw)
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return // not JSON: only the raw checks apply
		}
		hasBad := CheckValue(v) != nil
		switch {
		case err == nil && hasBad:
			t.Fatalf("CheckJSON passed %q, which decodes to text the database cannot hold", raw)
		case err != nil && !hasBad && utf8.Valid(raw):
			t.Fatalf("CheckJSON refused %q (%v), which decodes to storable text", raw, err)
		}
	})
}
