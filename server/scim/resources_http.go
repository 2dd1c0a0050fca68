package scim

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
)

// endpoints serves one resource type (Users or Groups) with the service's
// operations on R. The HTTP side is the same for both: parse, call, render
// with the projection the request asks for.
type endpoints[R any] struct {
	h        *Handler
	resource *resourceType
	// expand is the multi-valued attribute that costs a join to render
	// (a user's groups, a group's members); it is loaded only when wanted.
	expand  string
	list    func(ctx context.Context, org uuid.UUID, q ListQuery) (int, []R, error)
	create  func(ctx context.Context, org uuid.UUID, body map[string]any) (R, error)
	get     func(ctx context.Context, org, id uuid.UUID, expand bool) (R, error)
	replace func(ctx context.Context, org, id uuid.UUID, body map[string]any) (R, error)
	patch   func(ctx context.Context, org, id uuid.UUID, ops []patchOp) (R, error)
	remove  func(ctx context.Context, org, id uuid.UUID) error
	render  func(r R, expand bool) doc
}

func (h *Handler) userEndpoints() endpoints[User] {
	s := h.svc
	return endpoints[User]{h: h, resource: userResource, expand: "groups",
		list: s.ListUsers, create: s.CreateUser, get: s.GetUser, replace: s.ReplaceUser,
		patch: s.PatchUser, remove: s.DeleteUser, render: s.RenderUser}
}

func (h *Handler) groupEndpoints() endpoints[Group] {
	s := h.svc
	return endpoints[Group]{h: h, resource: groupResource, expand: "members",
		list: s.ListGroups, create: s.CreateGroup, get: s.GetGroup, replace: s.ReplaceGroup,
		patch: s.PatchGroup, remove: s.DeleteGroup, render: s.RenderGroup}
}

// mount routes the resource type's endpoints.
func (e endpoints[R]) mount(r chi.Router) {
	r.Get(e.resource.Endpoint, e.listHandler)
	r.Post(e.resource.Endpoint, e.createHandler)
	r.Get(e.resource.Endpoint+"/{id}", e.getHandler)
	r.Put(e.resource.Endpoint+"/{id}", e.replaceHandler)
	r.Patch(e.resource.Endpoint+"/{id}", e.patchHandler)
	r.Delete(e.resource.Endpoint+"/{id}", e.deleteHandler)
}

// callerOrg is the organization of the identity provider calling.
func callerOrg(r *http.Request) uuid.UUID { return callerFrom(r.Context()).OrganizationID }

func (e endpoints[R]) listHandler(w http.ResponseWriter, r *http.Request) {
	q, proj, err := listParams(r, e.resource)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	q.Expand = proj.wants(e.expand)
	total, rows, err := e.list(r.Context(), callerOrg(r), q)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	var resources []any
	if q.Count > 0 {
		resources = make([]any, len(rows))
		for i, row := range rows {
			resources[i] = proj.apply(e.render(row, q.Expand))
		}
	}
	writeSCIM(w, http.StatusOK, listResponse(total, q.StartIndex, resources))
}

func (e endpoints[R]) createHandler(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	row, err := e.create(r.Context(), callerOrg(r), body)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	res := e.render(row, true)
	w.Header().Set("Location", res["meta"].(doc)["location"].(string))
	writeSCIM(w, http.StatusCreated, singleProjection(r, e.resource).apply(res))
}

func (e endpoints[R]) getHandler(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, e.resource.Name)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	proj := singleProjection(r, e.resource)
	row, err := e.get(r.Context(), callerOrg(r), id, proj.wants(e.expand))
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, proj.apply(e.render(row, proj.wants(e.expand))))
}

func (e endpoints[R]) replaceHandler(w http.ResponseWriter, r *http.Request) {
	e.modify(w, r, e.replace)
}

func (e endpoints[R]) patchHandler(w http.ResponseWriter, r *http.Request) {
	e.modify(w, r, func(ctx context.Context, org, id uuid.UUID, body map[string]any) (R, error) {
		ops, err := decodePatch(body)
		if err != nil {
			var zero R
			return zero, err
		}
		return e.patch(ctx, org, id, ops)
	})
}

// modify serves PUT and PATCH: the id from the path, the JSON body, the
// change, then the resource as it now is.
func (e endpoints[R]) modify(w http.ResponseWriter, r *http.Request,
	change func(ctx context.Context, org, id uuid.UUID, body map[string]any) (R, error)) {
	id, err := pathID(r, e.resource.Name)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	body, err := decodeBody(r)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	row, err := change(r.Context(), callerOrg(r), id, body)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, singleProjection(r, e.resource).apply(e.render(row, true)))
}

func (e endpoints[R]) deleteHandler(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, e.resource.Name)
	if err != nil {
		e.h.fail(w, r, err)
		return
	}
	if err := e.remove(r.Context(), callerOrg(r), id); err != nil {
		e.h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
