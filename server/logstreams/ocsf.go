package logstreams

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/orgtrail/orgtrail/server/audit"
)

// OCSFVersion is the version of the Open Cybersecurity Schema Framework the
// OCSF format follows.
const OCSFVersion = "1.1.0"

// The OCSF classes the audit log's actions map to, with their category.
const (
	classAccountChange        = 3001 // Identity & Access Management
	classAuthentication       = 3002
	classUserAccessManagement = 3005
	classGroupManagement      = 3006
	classAPIActivity          = 6003 // Application Activity
)

// OCSFClassNames names the classes, as class_name carries them.
var OCSFClassNames = map[int]string{
	classAccountChange:        "Account Change",
	classAuthentication:       "Authentication",
	classUserAccessManagement: "User Access Management",
	classGroupManagement:      "Group Management",
	classAPIActivity:          "API Activity",
}

var ocsfCategoryNames = map[int]string{3: "Identity & Access Management", 6: "Application Activity"}

// OCSFMapping is where one action lands in OCSF: a class and an activity of
// that class (the class's own activity_id and its name).
type OCSFMapping struct {
	Class        int
	ActivityID   int
	ActivityName string
}

func m(class, activity int, name string) OCSFMapping {
	return OCSFMapping{Class: class, ActivityID: activity, ActivityName: name}
}

// Activities of each class used below (OCSF 1.1).
var (
	apiCreate = m(classAPIActivity, 1, "Create")
	apiRead   = m(classAPIActivity, 2, "Read")
	apiUpdate = m(classAPIActivity, 3, "Update")
	apiDelete = m(classAPIActivity, 4, "Delete")
)

// ocsfMappings maps every action of the catalog; a test holds it complete,
// and docs/streams.md prints it (TestTheOCSFMappingIsDocumented).
var ocsfMappings = map[audit.Action]OCSFMapping{
	audit.LoggedIn:                   m(classAuthentication, 1, "Logon"),
	audit.LoggedOut:                  m(classAuthentication, 2, "Logoff"),
	audit.LoginFailed:                m(classAuthentication, 1, "Logon"), // status Failure
	audit.GeneratedMagicLink:         m(classAuthentication, 99, "Other"),
	audit.CreatedOIDCProvider:        apiCreate,
	audit.UpdatedOIDCProvider:        apiUpdate,
	audit.DeletedOIDCProvider:        apiDelete,
	audit.AddedOIDCProviderToOrg:     apiCreate,
	audit.RemovedOIDCProviderFromOrg: apiDelete,

	audit.InvitedMember: apiCreate,
	audit.MemberJoined:  m(classAccountChange, 1, "Create"),
	audit.RemovedMember: m(classAccountChange, 6, "Delete"),

	audit.CreatedRole:           apiCreate,
	audit.UpdatedRole:           apiUpdate,
	audit.DeletedRole:           apiDelete,
	audit.AssignedRole:          m(classUserAccessManagement, 1, "Assign Privileges"),
	audit.UnassignedRole:        m(classUserAccessManagement, 2, "Revoke Privileges"),
	audit.GrantedPermission:     apiUpdate,
	audit.RevokedPermission:     apiUpdate,
	audit.CreatedServiceAccount: m(classAccountChange, 1, "Create"),
	audit.DeletedServiceAccount: m(classAccountChange, 6, "Delete"),
	audit.CreatedAPIKey:         apiCreate,
	audit.RevokedAPIKey:         apiDelete,
	audit.RotatedAPIKey:         apiUpdate,

	audit.CreatedConnector: apiCreate,
	audit.UpdatedConnector: apiUpdate,
	audit.DeletedConnector: apiDelete,

	audit.UpdatedOrgSettings:         apiUpdate,
	audit.DeletedOrganization:        apiDelete,
	audit.SwitchedOrganization:       m(classAuthentication, 99, "Other"),
	audit.CreatedSiblingOrganization: apiCreate,

	audit.CreatedAPIAccessKey: apiCreate,
	audit.UpdatedAPIAccessKey: apiUpdate,
	audit.DeletedAPIAccessKey: apiDelete,

	audit.CreatedSecret: apiCreate,
	audit.UpdatedSecret: apiUpdate,
	audit.DeletedSecret: apiDelete,

	audit.CreatedSCIMToken:       apiCreate,
	audit.RevokedSCIMToken:       apiDelete,
	audit.CreatedSCIMOAuthClient: apiCreate,
	audit.RevokedSCIMOAuthClient: apiDelete,
	audit.ProvisionedUser:        m(classAccountChange, 1, "Create"),
	audit.UpdatedUser:            m(classAccountChange, 99, "Other"),
	audit.DeprovisionedUser:      m(classAccountChange, 5, "Disable"),
	audit.CreatedGroup:           m(classGroupManagement, 6, "Create"),
	audit.UpdatedGroup:           m(classGroupManagement, 99, "Other"), // Add User / Remove User when the details say
	audit.DeletedGroup:           m(classGroupManagement, 5, "Delete"),

	audit.UpdatedServiceAccount: m(classAccountChange, 99, "Other"),

	audit.CreatedLogStream: apiCreate,
	audit.UpdatedLogStream: apiUpdate,
	audit.PausedLogStream:  apiUpdate,
	audit.ResumedLogStream: apiUpdate,
	audit.DeletedLogStream: apiDelete,
	audit.ExportedAuditLog: apiRead,
}

// OCSFMappingOf returns where a takes an event in OCSF, before the details
// refine it (a group update that adds members is Add User).
func OCSFMappingOf(a audit.Action) (OCSFMapping, bool) {
	mp, ok := ocsfMappings[a]
	return mp, ok
}

// ocsfEvent is the OCSF event of one audit event: the base event's
// attributes, then those of its class. Everything the native event holds
// that OCSF has no place for is under unmapped.orgtrail.
func ocsfEvent(rec record, org string) (map[string]any, error) {
	e := rec.Event
	mp, ok := ocsfMappings[e.Action]
	if !ok {
		return nil, fmt.Errorf("logstreams: no OCSF mapping for %s", e.Action)
	}
	var details map[string]any
	if err := json.Unmarshal(nativeDetails(e), &details); err != nil || details == nil {
		details = map[string]any{}
	}
	if e.Action == audit.UpdatedGroup {
		switch {
		case details["membersAdded"] != nil:
			mp = m(classGroupManagement, 3, "Add User")
		case details["membersRemoved"] != nil:
			mp = m(classGroupManagement, 4, "Remove User")
		}
	}
	native := e.Native()
	native.Sequence, native.OrganizationID = &rec.Seq, org
	status, statusID, severity := "Success", 1, 1
	if e.Action == audit.LoginFailed {
		status, statusID, severity = "Failure", 2, 3
	}
	category := mp.Class / 1000
	out := map[string]any{
		"activity_id":   mp.ActivityID,
		"activity_name": mp.ActivityName,
		"category_uid":  category,
		"category_name": ocsfCategoryNames[category],
		"class_uid":     mp.Class,
		"class_name":    OCSFClassNames[mp.Class],
		"type_uid":      mp.Class*100 + mp.ActivityID,
		"type_name":     OCSFClassNames[mp.Class] + ": " + mp.ActivityName,
		"severity_id":   severity,
		"severity":      map[int]string{1: "Informational", 3: "Medium"}[severity],
		"status_id":     statusID,
		"status":        status,
		"time":          e.OccurredAt.UnixMilli(),
		"message":       summary(e),
		"metadata": map[string]any{
			"version":         OCSFVersion,
			"uid":             e.ID.String(),
			"sequence":        rec.Seq,
			"correlation_uid": e.RequestID,
			"log_name":        "audit",
			"event_code":      string(e.Action),
			"tenant_uid":      org,
			"product":         map[string]any{"name": "Orgtrail", "vendor_name": "Orgtrail", "feature": map[string]any{"name": "Audit Log"}},
		},
		"actor":     map[string]any{"user": actorUser(e)},
		"unmapped":  map[string]any{"orgtrail": native},
		"resources": []any{resourceOf(e)},
	}
	if e.Action == audit.LoginFailed {
		if reason, ok := details["reason"].(string); ok {
			out["status_detail"] = reason
		}
	}
	src := map[string]any{}
	if e.IPAddress != nil {
		src["ip"] = *e.IPAddress
	} else {
		src["name"] = "orgtrail" // the server itself acted
	}
	out["src_endpoint"] = src
	if e.UserAgent != "" {
		out["http_request"] = map[string]any{"user_agent": e.UserAgent}
	}
	switch mp.Class {
	case classAuthentication:
		out["user"] = subjectUser(e, details)
		out["service"] = map[string]any{"name": "Orgtrail"}
	case classAccountChange:
		out["user"] = subjectUser(e, details)
	case classUserAccessManagement:
		out["user"] = assignee(e, details)
		out["privileges"] = []string{firstOf(e.ResourceName, e.ResourceID)}
		out["resource"] = resourceOf(e)
	case classGroupManagement:
		out["group"] = map[string]any{"uid": e.ResourceID, "name": firstOf(e.ResourceName, e.ResourceID)}
		if mp.ActivityID == 3 || mp.ActivityID == 4 {
			for _, k := range []string{"membersAdded", "membersRemoved"} {
				if list, ok := details[k].([]any); ok && len(list) > 0 {
					if email, ok := list[0].(string); ok {
						out["user"] = map[string]any{"email_addr": email, "name": email}
					}
				}
			}
		}
	case classAPIActivity:
		out["api"] = map[string]any{"operation": string(e.Action), "service": map[string]any{"name": "Orgtrail"},
			"request": map[string]any{"uid": e.RequestID}}
	}
	return out, nil
}

// actorUser is who acted, as an OCSF user.
func actorUser(e audit.Event) map[string]any {
	u := map[string]any{"uid": e.ActorID, "type": actorTypeName(e.ActorType), "type_id": 99}
	if e.ActorType == audit.ActorUser {
		u["type_id"] = 1
	}
	if e.ActorEmail != "" {
		u["email_addr"] = e.ActorEmail
	}
	if name := firstOf(e.ActorName, e.ActorEmail, e.ActorID); name != "" {
		u["name"] = name
	}
	return u
}

func actorTypeName(t audit.ActorType) string {
	switch t {
	case audit.ActorUser:
		return "User"
	case audit.ActorServiceAccount:
		return "Service Account"
	case audit.ActorAPIKey:
		return "API Key"
	case audit.ActorSCIM:
		return "SCIM"
	}
	return "System"
}

// subjectUser is the account an authentication or account change is about:
// the event's resource when it is a user or service account, else the actor.
func subjectUser(e audit.Event, details map[string]any) map[string]any {
	switch e.ResourceType {
	case "user":
		u := map[string]any{"uid": e.ResourceID, "name": firstOf(e.ResourceName, e.ResourceID), "type": "User", "type_id": 1}
		if strings.Contains(e.ResourceName, "@") {
			u["email_addr"] = e.ResourceName
		} else if email, ok := details["email"].(string); ok {
			u["email_addr"] = email
		}
		return u
	case "service_account":
		return map[string]any{"uid": e.ResourceID, "name": firstOf(e.ResourceName, e.ResourceID), "type": "Service Account", "type_id": 99}
	}
	return actorUser(e)
}

// assignee is who a role was assigned to or removed from (details), else
// the actor.
func assignee(e audit.Event, details map[string]any) map[string]any {
	id, _ := details["assigneeId"].(string)
	if id == "" {
		return actorUser(e)
	}
	u := map[string]any{"uid": id, "type": "User", "type_id": 1}
	if t, _ := details["assigneeType"].(string); t == "service_account" {
		u["type"], u["type_id"] = "Service Account", 99
	}
	if email, _ := details["assigneeEmail"].(string); email != "" {
		u["email_addr"], u["name"] = email, email
	}
	if name, _ := details["assigneeName"].(string); name != "" {
		u["name"] = name
	}
	return u
}

func resourceOf(e audit.Event) map[string]any {
	r := map[string]any{"uid": e.ResourceID, "type": e.ResourceType}
	if e.ResourceName != "" {
		r["name"] = e.ResourceName
	}
	return r
}

// summary is a one-line account of e for people: who did what to what.
func summary(e audit.Event) string {
	who := firstOf(e.ActorEmail, e.ActorName, e.ActorID, string(e.ActorType))
	what := e.ResourceType
	if name := firstOf(e.ResourceName, e.ResourceID); name != "" {
		what += " " + name
	}
	return who + ": " + e.Action.Label() + " (" + what + ")"
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// OCSFTable is the mapping as a Markdown table, in catalog order, as
// docs/streams.md prints it (TestTheOCSFMappingIsDocumented keeps the two
// the same).
func OCSFTable() string {
	var b strings.Builder
	b.WriteString("| action | label | OCSF class | activity |\n|---|---|---|---|\n")
	for _, c := range audit.Categories() {
		for _, a := range c.Actions {
			mp := ocsfMappings[a.Action]
			activity := fmt.Sprintf("%d %s", mp.ActivityID, mp.ActivityName)
			if a.Action == audit.UpdatedGroup {
				activity += " (3 Add User / 4 Remove User when members were added / removed)"
			}
			if a.Action == audit.LoginFailed {
				activity += ", status Failure"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %d %s | %s |\n", a.Action, a.Label, mp.Class, OCSFClassNames[mp.Class], activity)
		}
	}
	return b.String()
}
