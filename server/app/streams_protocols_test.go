package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The receivers' side of each protocol, as the tests check what streams
// send: what Splunk's HTTP Event Collector and Datadog's logs intake accept,
// and the attributes OCSF 1.1 requires of each class the mapping uses.

// hecEvents reads a Splunk HEC request: POST with "Authorization: Splunk
// <token>", a body of concatenated JSON envelopes, each with only HEC's
// fields, an event, and time as epoch seconds.
func hecEvents(r *http.Request, body []byte) ([]delivered, error) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/services/collector/event") {
		return nil, fmt.Errorf("%s %s is not the HEC event endpoint", r.Method, r.URL.Path)
	}
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Splunk "); !ok || token != "hec-token" {
		return nil, fmt.Errorf("Authorization %q", r.Header.Get("Authorization"))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out []delivered
	for dec.More() {
		var env map[string]json.RawMessage
		if err := dec.Decode(&env); err != nil {
			return nil, fmt.Errorf("not a stream of JSON envelopes: %w", err)
		}
		for k := range env {
			if !slices.Contains([]string{"time", "host", "source", "sourcetype", "index", "event", "fields"}, k) {
				return nil, fmt.Errorf("HEC has no envelope field %q", k)
			}
		}
		var t json.Number
		if err := json.Unmarshal(env["time"], &t); err != nil {
			return nil, fmt.Errorf("time %s is not epoch seconds", env["time"])
		}
		if f, err := t.Float64(); err != nil || f < 1e9 || f > 1e10 {
			return nil, fmt.Errorf("time %s is not epoch seconds", t)
		}
		for _, k := range []string{"host", "source", "sourcetype", "index"} {
			var s string
			if v, ok := env[k]; ok && json.Unmarshal(v, &s) != nil {
				return nil, fmt.Errorf("%s is not a string", k)
			}
		}
		if len(env["event"]) == 0 || string(env["event"]) == `""` || string(env["event"]) == "null" {
			return nil, fmt.Errorf("Event field is required")
		}
		d, err := eventOf(env["event"])
		if err != nil {
			return nil, err
		}
		var sourcetype string
		_ = json.Unmarshal(env["sourcetype"], &sourcetype)
		if sourcetype != "orgtrail:audit" {
			return nil, fmt.Errorf("sourcetype %q", sourcetype)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("No data")
	}
	return out, nil
}

// datadogEvents reads a Datadog logs intake (v2) request: POST of a JSON
// array of at most 1,000 entries and 5 MB, each entry at most 1 MB with a
// message, with the API key in DD-API-KEY.
func datadogEvents(r *http.Request, body []byte) ([]delivered, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/v2/logs" || r.Header.Get("Content-Type") != "application/json" {
		return nil, fmt.Errorf("%s %s %s", r.Method, r.URL.Path, r.Header.Get("Content-Type"))
	}
	if r.Header.Get("DD-API-KEY") != "dd-api-key" {
		return nil, fmt.Errorf("DD-API-KEY %q", r.Header.Get("DD-API-KEY"))
	}
	if len(body) > 5<<20 {
		return nil, fmt.Errorf("payload of %d bytes", len(body))
	}
	var entries []map[string]any
	if err := json.Unmarshal(body, &entries); err != nil {
		return nil, fmt.Errorf("not a JSON array of entries: %w", err)
	}
	if len(entries) == 0 || len(entries) > 1000 {
		return nil, fmt.Errorf("%d entries", len(entries))
	}
	var out []delivered
	for _, e := range entries {
		msg, ok := e["message"].(string)
		if !ok || len(msg) > 1<<20 {
			return nil, fmt.Errorf("an entry without a message: %v", e)
		}
		for _, k := range []string{"ddsource", "service", "hostname"} {
			if s, _ := e[k].(string); s == "" {
				return nil, fmt.Errorf("an entry without %s", k)
			}
		}
		d, err := eventOf(json.RawMessage(msg))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// ocsfActivities are the activity ids each OCSF 1.1 class defines.
var ocsfActivities = map[int][]int{
	3001: {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 99},
	3002: {1, 2, 3, 4, 5, 6, 99},
	3005: {1, 2, 99},
	3006: {1, 2, 3, 4, 5, 6, 99},
	6003: {1, 2, 3, 4, 99},
}

// checkOCSF checks an OCSF event's required attributes: the base event's
// (activity, category, class, type, severity, time, metadata with product
// and version) and its class's.
func checkOCSF(raw json.RawMessage) error {
	var e struct {
		ActivityID  *int `json:"activity_id"`
		CategoryUID *int `json:"category_uid"`
		ClassUID    *int `json:"class_uid"`
		TypeUID     *int `json:"type_uid"`
		SeverityID  *int `json:"severity_id"`
		Time        *int64
		Metadata    struct {
			Version string
			Product struct {
				Name       string
				VendorName string `json:"vendor_name"`
			}
		}
		User        map[string]any
		Actor       map[string]any
		Group       map[string]any
		Privileges  []string
		API         struct{ Operation string }
		SrcEndpoint map[string]any `json:"src_endpoint"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		return err
	}
	if e.ActivityID == nil || e.CategoryUID == nil || e.ClassUID == nil || e.TypeUID == nil || e.SeverityID == nil || e.Time == nil {
		return fmt.Errorf("OCSF: a base attribute is missing: %s", raw)
	}
	if !slices.Contains(ocsfActivities[*e.ClassUID], *e.ActivityID) {
		return fmt.Errorf("OCSF: class %d has no activity %d", *e.ClassUID, *e.ActivityID)
	}
	if *e.CategoryUID != *e.ClassUID/1000 || *e.TypeUID != *e.ClassUID*100+*e.ActivityID {
		return fmt.Errorf("OCSF: category %d, type %d for class %d", *e.CategoryUID, *e.TypeUID, *e.ClassUID)
	}
	if !strings.HasPrefix(e.Metadata.Version, "1.") || e.Metadata.Product.Name == "" || e.Metadata.Product.VendorName == "" {
		return fmt.Errorf("OCSF: metadata %+v", e.Metadata)
	}
	if *e.Time < 1e12 {
		return fmt.Errorf("OCSF: time %d is not in milliseconds", *e.Time)
	}
	switch *e.ClassUID {
	case 3001, 3002:
		if e.User == nil {
			return fmt.Errorf("OCSF %d: user is required", *e.ClassUID)
		}
	case 3005:
		if e.User == nil || len(e.Privileges) == 0 {
			return fmt.Errorf("OCSF 3005: user and privileges are required")
		}
	case 3006:
		if e.Group == nil {
			return fmt.Errorf("OCSF 3006: group is required")
		}
	case 6003:
		if e.Actor == nil || e.API.Operation == "" || e.SrcEndpoint == nil {
			return fmt.Errorf("OCSF 6003: actor, api.operation and src_endpoint are required")
		}
	}
	return nil
}
