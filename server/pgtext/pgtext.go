// Package pgtext refuses, at the edge, text that PostgreSQL cannot store: a
// NUL character (text and jsonb cannot hold U+0000) and bytes that are not
// UTF-8 (the database's encoding). Left alone, such input travels to the
// first statement that binds it, the statement fails and the caller gets a
// 500 for what is their mistake.
//
// Check is the rule. The rest applies it to what each protocol receives:
// query strings, form and JSON bodies (Request, a middleware) and GraphQL
// documents and variables (GraphQL, a gqlgen extension). Each protocol turns
// the *Error into its own 400: GraphQL BAD_USER_INPUT, SCIM invalidValue or
// invalidFilter, OAuth invalid_request, the sign-in endpoints' JSON error.
package pgtext

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The two kinds of text the database cannot hold.
var (
	ErrNUL         = errors.New("contains a NUL character (U+0000), which cannot be stored")
	ErrInvalidUTF8 = errors.New("is not valid UTF-8")
)

// Check reports whether s can be stored as PostgreSQL text: ErrInvalidUTF8,
// ErrNUL or nil.
func Check(s string) error {
	if !utf8.ValidString(s) {
		return ErrInvalidUTF8
	}
	if strings.IndexByte(s, 0) >= 0 {
		return ErrNUL
	}
	return nil
}

// Error is input refused by Check, and where it was found.
type Error struct {
	// Param is the query or form parameter at fault; empty for a body or a
	// GraphQL document.
	Param string
	// Where describes the place for a person: `query parameter "filter"`,
	// "the request body", `variable $name`.
	Where string
	Err   error
}

func (e *Error) Error() string { return e.Where + " " + e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// CheckValues checks the names and values of a query string or form. kind
// ("query parameter", "form field") is how Error.Where names the place.
func CheckValues(kind string, values url.Values) *Error {
	for name, vs := range values {
		if err := Check(name); err != nil {
			return &Error{Param: name, Where: kind + " name " + strconv.QuoteToASCII(name), Err: err}
		}
		for _, v := range vs {
			if err := Check(v); err != nil {
				return &Error{Param: name, Where: kind + " " + strconv.QuoteToASCII(name), Err: err}
			}
		}
	}
	return nil
}

// CheckJSON checks every string (names included) of a JSON text. Text that
// is not JSON passes: the protocol's decoder reports its syntax. A JSON
// decoder would silently replace invalid UTF-8, so the bytes are checked as
// they came.
func CheckJSON(raw []byte) error {
	if !utf8.Valid(raw) {
		return ErrInvalidUTF8
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return ErrNUL
	}
	// The only other way to write U+0000 in JSON is this escape; "\\u0000"
	// (an escaped backslash) is harmless, so strings are decoded to tell.
	if !bytes.Contains(raw, []byte(`\u0000`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or not JSON
		}
		if s, ok := tok.(string); ok {
			if err := Check(s); err != nil {
				return err
			}
		}
	}
}

// CheckValue checks every string of a decoded JSON value (map keys
// included), such as GraphQL variables.
func CheckValue(v any) error {
	switch v := v.(type) {
	case string:
		return Check(v)
	case map[string]any:
		for k, x := range v {
			if err := Check(k); err != nil {
				return err
			}
			if err := CheckValue(x); err != nil {
				return err
			}
		}
	case []any:
		for _, x := range v {
			if err := CheckValue(x); err != nil {
				return err
			}
		}
	}
	return nil
}

// Refuse writes a protocol's 400 for refused input.
type Refuse func(w http.ResponseWriter, r *http.Request, e *Error)

// Request is a middleware that checks a request's query string and, for a
// JSON or form body (or one without a type), the body, before next runs.
// It reads at most limit bytes of body and hands next the same bytes; a
// body over the limit is passed on with its error for next to report.
func Request(limit int64, refuse Refuse) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// ParseQuery skips pairs it cannot unescape, as r.URL.Query() does,
			// so what it returns is exactly what handlers will see.
			query, _ := url.ParseQuery(r.URL.RawQuery)
			if e := CheckValues("query parameter", query); e != nil {
				refuse(w, r, e)
				return
			}
			if r.Body == nil || r.Body == http.NoBody {
				next.ServeHTTP(w, r)
				return
			}
			raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
			if err != nil {
				r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(raw), errorReader{err}))
				next.ServeHTTP(w, r)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(raw))
			if e := checkBody(r.Header.Get("Content-Type"), raw); e != nil {
				refuse(w, r, e)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func checkBody(contentType string, raw []byte) *Error {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		form, _ := url.ParseQuery(string(raw))
		return CheckValues("form field", form)
	case mt == "" || mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "text/plain":
		if err := CheckJSON(raw); err != nil {
			return &Error{Where: "the request body", Err: err}
		}
	}
	return nil
}

// errorReader replays a body's read error after the bytes read before it.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }
