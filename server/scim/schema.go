package scim

import "strings"

// The schema and message URNs of RFC 7643 and RFC 7644.
const (
	UserSchema       = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupSchema      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	listSchema       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	patchSchema      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	errorSchema      = "urn:ietf:params:scim:api:messages:2.0:Error"
	spConfigSchema   = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	resTypeSchema    = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	schemaSchema     = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// attrType is a SCIM attribute data type (RFC 7643 §2.3).
type attrType string

const (
	typeString    attrType = "string"
	typeBoolean   attrType = "boolean"
	typeComplex   attrType = "complex"
	typeDateTime  attrType = "dateTime"
	typeReference attrType = "reference"
)

// Mutability and returned values (RFC 7643 §7).
const (
	readOnly  = "readOnly"
	readWrite = "readWrite"
	immutable = "immutable"
	writeOnly = "writeOnly"

	returnedAlways  = "always"
	returnedDefault = "default"
	returnedNever   = "never"
)

// attribute describes one attribute this server supports. The discovery
// endpoints serve these definitions, and the same definitions drive input
// normalization, PATCH and filters, so what is advertised is what works.
type attribute struct {
	Name            string
	Type            attrType
	MultiValued     bool
	Description     string
	Required        bool
	CaseExact       bool
	Mutability      string
	Returned        string
	Uniqueness      string
	CanonicalValues []string
	ReferenceTypes  []string
	SubAttributes   []*attribute
}

// sub returns the sub-attribute named name (case-insensitively).
func (a *attribute) sub(name string) *attribute {
	for _, s := range a.SubAttributes {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// schema is a resource schema or extension.
type schema struct {
	ID          string
	Name        string
	Description string
	Attributes  []*attribute
}

func (s *schema) attr(name string) *attribute {
	for _, a := range s.Attributes {
		if strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

func str(name, desc string, opts ...func(*attribute)) *attribute {
	a := &attribute{Name: name, Type: typeString, Description: desc, Mutability: readWrite, Returned: returnedDefault, Uniqueness: "none"}
	for _, o := range opts {
		o(a)
	}
	return a
}

func boolean(name, desc string, opts ...func(*attribute)) *attribute {
	return str(name, desc, append([]func(*attribute){func(a *attribute) { a.Type = typeBoolean }}, opts...)...)
}

func complexAttr(name, desc string, multi bool, subs []*attribute, opts ...func(*attribute)) *attribute {
	a := str(name, desc, opts...)
	a.Type, a.MultiValued, a.SubAttributes = typeComplex, multi, subs
	return a
}

func ref(types ...string) func(*attribute) {
	return func(a *attribute) { a.Type, a.ReferenceTypes = typeReference, types }
}

func required(a *attribute)   { a.Required = true }
func caseExact(a *attribute)  { a.CaseExact = true }
func isReadOnly(a *attribute) { a.Mutability = readOnly }
func uniqueServer(a *attribute) {
	a.Uniqueness = "server"
}
func canonical(values ...string) func(*attribute) {
	return func(a *attribute) { a.CanonicalValues = values }
}

// multiValuedSubs are the sub-attributes of emails and phone numbers.
func multiValuedSubs(valueDesc string, types ...string) []*attribute {
	return []*attribute{
		str("value", valueDesc),
		str("display", "A human-readable name, primarily used for display purposes."),
		str("type", "A label indicating the attribute's function.", canonical(types...)),
		boolean("primary", "A Boolean value indicating the 'primary' or preferred attribute value for this attribute."),
	}
}

// userSchema is the core User schema as far as Orgtrail supports it.
var userSchema = &schema{
	ID:          UserSchema,
	Name:        "User",
	Description: "User Account",
	Attributes: []*attribute{
		str("userName", "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Compared case-insensitively.", required, uniqueServer),
		complexAttr("name", "The components of the user's real name.", false, []*attribute{
			str("formatted", "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
			str("familyName", "The family name of the User."),
			str("givenName", "The given name of the User."),
			str("middleName", "The middle name(s) of the User."),
			str("honorificPrefix", "The honorific prefix(es) of the User."),
			str("honorificSuffix", "The honorific suffix(es) of the User."),
		}),
		str("displayName", "The name of the User, suitable for display to end-users."),
		str("nickName", "The casual way to address the user in real life."),
		str("profileUrl", "A fully qualified URL pointing to a page representing the User's online profile.", ref("external")),
		str("title", "The user's title, such as \"Vice President\"."),
		str("userType", "Used to identify the relationship between the organization and the user."),
		str("preferredLanguage", "Indicates the User's preferred written or spoken language."),
		str("locale", "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations."),
		str("timezone", "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
		boolean("active", "Whether the user may sign in to the organization. false deactivates the membership and ends the user's sessions."),
		str("password", "Accepted for compatibility and discarded: Orgtrail users sign in with magic links or OpenID Connect. Never stored, never returned.",
			func(a *attribute) { a.Mutability, a.Returned = writeOnly, returnedNever }),
		complexAttr("emails", "Email addresses for the user. The primary one (else the work one, else the first; else userName) is the address the user signs in with.", true,
			multiValuedSubs("Email address for the User.", "work", "home", "other")),
		complexAttr("phoneNumbers", "Phone numbers for the User.", true,
			multiValuedSubs("Phone number of the User.", "work", "home", "mobile", "fax", "pager", "other")),
		complexAttr("addresses", "A physical mailing address for this User.", true, []*attribute{
			str("formatted", "The full mailing address, formatted for display or use with a mailing label."),
			str("streetAddress", "The full street address component."),
			str("locality", "The city or locality component."),
			str("region", "The state or region component."),
			str("postalCode", "The zip code or postal code component."),
			str("country", "The country name component."),
			str("type", "A label indicating the attribute's function.", canonical("work", "home", "other")),
			boolean("primary", "A Boolean value indicating the 'primary' or preferred attribute value for this attribute."),
		}),
		complexAttr("groups", "A list of groups to which the user belongs. Read-only: change membership through the Group resource.", true, []*attribute{
			str("value", "The identifier of the User's group.", isReadOnly),
			str("$ref", "The URI of the corresponding 'Group' resource.", ref("Group"), isReadOnly),
			str("display", "A human-readable name.", isReadOnly),
			str("type", "How the membership was derived: always 'direct'.", canonical("direct"), isReadOnly),
		}, isReadOnly),
	},
}

// enterpriseSchema is the enterprise User extension.
var enterpriseSchema = &schema{
	ID:          EnterpriseSchema,
	Name:        "EnterpriseUser",
	Description: "Enterprise User",
	Attributes: []*attribute{
		str("employeeNumber", "Numeric or alphanumeric identifier assigned to a person."),
		str("costCenter", "Identifies the name of a cost center."),
		str("organization", "Identifies the name of an organization."),
		str("division", "Identifies the name of a division."),
		str("department", "Identifies the name of a department."),
		complexAttr("manager", "The User's manager. A plain string value is taken as the manager's id.", false, []*attribute{
			str("value", "The id of the SCIM resource representing the User's manager."),
			str("$ref", "The URI of the SCIM resource representing the User's manager.", ref("User")),
			str("displayName", "The displayName of the User's manager.", isReadOnly),
		}),
	},
}

// groupSchema is the core Group schema.
var groupSchema = &schema{
	ID:          GroupSchema,
	Name:        "Group",
	Description: "Group",
	Attributes: []*attribute{
		str("displayName", "A human-readable name for the Group.", required),
		complexAttr("members", "A list of members of the Group: Users of this organization.", true, []*attribute{
			str("value", "Identifier of the member of this Group.", func(a *attribute) { a.Mutability = immutable }),
			str("$ref", "The URI corresponding to a SCIM resource that is a member of this Group.", ref("User"), func(a *attribute) { a.Mutability = immutable }),
			str("display", "A human-readable name, primarily used for display purposes.", isReadOnly),
			str("type", "The type of the member: only 'User' is supported.", canonical("User"), func(a *attribute) { a.Mutability = immutable }),
		}),
	},
}

// commonAttributes are those of every resource (RFC 7643 §3.1).
var (
	idAttr         = str("id", "A unique identifier for the resource, issued by Orgtrail.", caseExact, isReadOnly, uniqueServer, func(a *attribute) { a.Returned = returnedAlways })
	externalIDAttr = str("externalId", "The identifier of the resource in the identity provider.", caseExact)
	metaAttr       = complexAttr("meta", "Resource metadata.", false, []*attribute{
		str("resourceType", "The name of the resource type of the resource.", caseExact, isReadOnly),
		{Name: "created", Type: typeDateTime, Description: "When the resource was added.", Mutability: readOnly, Returned: returnedDefault, Uniqueness: "none"},
		{Name: "lastModified", Type: typeDateTime, Description: "When the resource was last changed.", Mutability: readOnly, Returned: returnedDefault, Uniqueness: "none"},
		str("location", "The URI of the resource.", ref("uri"), caseExact, isReadOnly),
	}, isReadOnly)
)

// resourceType describes one resource endpoint.
type resourceType struct {
	Name       string
	Endpoint   string
	Schema     *schema
	Extensions []*schema
}

var (
	userResource  = &resourceType{Name: "User", Endpoint: "/Users", Schema: userSchema, Extensions: []*schema{enterpriseSchema}}
	groupResource = &resourceType{Name: "Group", Endpoint: "/Groups", Schema: groupSchema}
)

// attrRef is an attribute resolved against a resource type: a common
// attribute, a core one, one of an extension, or (Attr nil, Ext set) a
// whole extension.
type attrRef struct {
	Attr *attribute
	Ext  *schema
}

// resolve finds the attribute urn:name (urn may be empty) of resource type rt,
// case-insensitively. A full extension URN with an empty name (or one split
// by a parser into URN and last segment) resolves to the whole extension.
func (rt *resourceType) resolve(urn, name string) (attrRef, bool) {
	if urn != "" {
		if strings.EqualFold(urn, rt.Schema.ID) {
			if a := rt.Schema.attr(name); a != nil {
				return attrRef{Attr: a}, true
			}
			return rt.common(name)
		}
		for _, ext := range rt.Extensions {
			if strings.EqualFold(urn, ext.ID) {
				if a := ext.attr(name); a != nil {
					return attrRef{Attr: a, Ext: ext}, true
				}
				return attrRef{}, false
			}
			if strings.EqualFold(urn+":"+name, ext.ID) {
				return attrRef{Ext: ext}, true
			}
		}
		return attrRef{}, false
	}
	if a := rt.Schema.attr(name); a != nil {
		return attrRef{Attr: a}, true
	}
	for _, ext := range rt.Extensions {
		if strings.EqualFold(name, ext.ID) {
			return attrRef{Ext: ext}, true
		}
	}
	return rt.common(name)
}

func (rt *resourceType) common(name string) (attrRef, bool) {
	for _, a := range []*attribute{idAttr, externalIDAttr, metaAttr} {
		if strings.EqualFold(a.Name, name) {
			return attrRef{Attr: a}, true
		}
	}
	return attrRef{}, false
}
