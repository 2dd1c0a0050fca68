package scim

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// The discovery endpoints (RFC 7644 §4) are generated from the same
// definitions that drive normalization, PATCH and filters, so they describe
// exactly what works.

func (h *Handler) serviceProviderConfig(w http.ResponseWriter, _ *http.Request) {
	writeSCIM(w, http.StatusOK, h.svc.ServiceProviderConfig())
}

// ServiceProviderConfig is the /ServiceProviderConfig resource.
func (s *Service) ServiceProviderConfig() doc {
	return doc{
		"schemas":        []any{spConfigSchema},
		"patch":          doc{"supported": true},
		"bulk":           doc{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":         doc{"supported": true, "maxResults": maxCount},
		"changePassword": doc{"supported": false},
		"sort":           doc{"supported": false},
		"etag":           doc{"supported": false},
		"authenticationSchemes": []any{doc{
			"type": "oauthbearertoken",
			"name": "OAuth Bearer Token",
			"description": "A SCIM token created in Orgtrail's settings, or an access token from the OAuth 2.0 " +
				"client credentials grant at " + s.tokenURL + ".",
			"specUri": "https://www.rfc-editor.org/info/rfc6750",
			"primary": true,
		}},
		"meta": doc{"resourceType": "ServiceProviderConfig", "location": s.baseURL + "/ServiceProviderConfig"},
	}
}

func (s *Service) resourceTypeDoc(rt *resourceType) doc {
	exts := []any{}
	for _, e := range rt.Extensions {
		exts = append(exts, doc{"schema": e.ID, "required": false})
	}
	d := doc{
		"schemas":     []any{resTypeSchema},
		"id":          rt.Name,
		"name":        rt.Name,
		"endpoint":    rt.Endpoint,
		"description": rt.Schema.Description,
		"schema":      rt.Schema.ID,
		"meta":        doc{"resourceType": "ResourceType", "location": s.baseURL + "/ResourceTypes/" + rt.Name},
	}
	if len(exts) > 0 {
		d["schemaExtensions"] = exts
	}
	return d
}

func (h *Handler) resourceTypes(w http.ResponseWriter, _ *http.Request) {
	list := []any{h.svc.resourceTypeDoc(userResource), h.svc.resourceTypeDoc(groupResource)}
	writeSCIM(w, http.StatusOK, listResponse(len(list), 1, list))
}

func (h *Handler) resourceType(w http.ResponseWriter, r *http.Request) {
	for _, rt := range []*resourceType{userResource, groupResource} {
		if strings.EqualFold(rt.Name, chi.URLParam(r, "id")) {
			writeSCIM(w, http.StatusOK, h.svc.resourceTypeDoc(rt))
			return
		}
	}
	h.fail(w, r, notFound("ResourceType %s not found", chi.URLParam(r, "id")))
}

func attributeDoc(a *attribute) doc {
	d := doc{
		"name": a.Name, "type": string(a.Type), "multiValued": a.MultiValued, "description": a.Description,
		"required": a.Required, "caseExact": a.CaseExact, "mutability": a.Mutability, "returned": a.Returned,
		"uniqueness": a.Uniqueness,
	}
	if len(a.CanonicalValues) > 0 {
		values := make([]any, len(a.CanonicalValues))
		for i, v := range a.CanonicalValues {
			values[i] = v
		}
		d["canonicalValues"] = values
	}
	if len(a.ReferenceTypes) > 0 {
		types := make([]any, len(a.ReferenceTypes))
		for i, v := range a.ReferenceTypes {
			types[i] = v
		}
		d["referenceTypes"] = types
	}
	if len(a.SubAttributes) > 0 {
		subs := make([]any, len(a.SubAttributes))
		for i, sub := range a.SubAttributes {
			subs[i] = attributeDoc(sub)
		}
		d["subAttributes"] = subs
	}
	return d
}

func (s *Service) schemaDoc(sc *schema) doc {
	attrs := make([]any, len(sc.Attributes))
	for i, a := range sc.Attributes {
		attrs[i] = attributeDoc(a)
	}
	return doc{
		"schemas": []any{schemaSchema}, "id": sc.ID, "name": sc.Name, "description": sc.Description,
		"attributes": attrs, "meta": doc{"resourceType": "Schema", "location": s.baseURL + "/Schemas/" + sc.ID},
	}
}

var allSchemas = []*schema{userSchema, enterpriseSchema, groupSchema}

func (h *Handler) schemas(w http.ResponseWriter, _ *http.Request) {
	list := make([]any, len(allSchemas))
	for i, sc := range allSchemas {
		list[i] = h.svc.schemaDoc(sc)
	}
	writeSCIM(w, http.StatusOK, listResponse(len(list), 1, list))
}

func (h *Handler) schema(w http.ResponseWriter, r *http.Request) {
	for _, sc := range allSchemas {
		if strings.EqualFold(sc.ID, chi.URLParam(r, "id")) {
			writeSCIM(w, http.StatusOK, h.svc.schemaDoc(sc))
			return
		}
	}
	h.fail(w, r, notFound("Schema %s not found", chi.URLParam(r, "id")))
}
