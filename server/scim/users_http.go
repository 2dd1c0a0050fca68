package scim

import "net/http"

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	q, proj, err := listParams(r, userResource)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q.Expand = proj.wants("groups")
	total, users, err := h.svc.ListUsers(r.Context(), callerFrom(r.Context()).OrganizationID, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var resources []any
	if q.Count > 0 {
		resources = make([]any, len(users))
		for i, u := range users {
			resources[i] = proj.apply(h.svc.RenderUser(u, q.Expand))
		}
	}
	writeSCIM(w, http.StatusOK, listResponse(total, q.StartIndex, resources))
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.svc.CreateUser(r.Context(), callerFrom(r.Context()).OrganizationID, body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res := h.svc.RenderUser(u, true)
	w.Header().Set("Location", res["meta"].(doc)["location"].(string))
	writeSCIM(w, http.StatusCreated, singleProjection(r, userResource).apply(res))
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "User")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	proj := singleProjection(r, userResource)
	u, err := h.svc.GetUser(r.Context(), callerFrom(r.Context()).OrganizationID, id, proj.wants("groups"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, proj.apply(h.svc.RenderUser(u, proj.wants("groups"))))
}

func (h *Handler) replaceUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "User")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body, err := decodeBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.svc.ReplaceUser(r.Context(), callerFrom(r.Context()).OrganizationID, id, body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, singleProjection(r, userResource).apply(h.svc.RenderUser(u, true)))
}

func (h *Handler) patchUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "User")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body, err := decodeBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ops, err := decodePatch(body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	u, err := h.svc.PatchUser(r.Context(), callerFrom(r.Context()).OrganizationID, id, ops)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, singleProjection(r, userResource).apply(h.svc.RenderUser(u, true)))
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "User")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.svc.DeleteUser(r.Context(), callerFrom(r.Context()).OrganizationID, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
