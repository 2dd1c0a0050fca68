package apperr

import (
	"encoding/json"
	"net/http"
)

// WriteJSON answers a refused plain-HTTP request (not GraphQL) in JSON,
// {"code", "error", "field"}, with the status of its code. It reports
// whether err is internal: the caller logs it, and the client reads only
// "internal error".
func WriteJSON(w http.ResponseWriter, err error) (internal bool) {
	status, body := http.StatusInternalServerError, map[string]any{"code": Internal, "error": "internal error"}
	if e, ok := As(err); ok && e.Code != Internal {
		body = map[string]any{"code": e.Code, "error": e.Message}
		if e.Field != "" {
			body["field"] = e.Field
		}
		switch e.Code {
		case Unauthenticated:
			status = http.StatusUnauthorized
		case Forbidden:
			status = http.StatusForbidden
		case NotFound:
			status = http.StatusNotFound
		default:
			status = http.StatusBadRequest
		}
	} else {
		internal = true
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
	return internal
}
