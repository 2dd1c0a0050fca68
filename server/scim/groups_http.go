package scim

import "net/http"

func (h *Handler) listGroups(w http.ResponseWriter, r *http.Request) {
	q, proj, err := listParams(r, groupResource)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q.Expand = proj.wants("members")
	total, groups, err := h.svc.ListGroups(r.Context(), callerFrom(r.Context()).OrganizationID, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var resources []any
	if q.Count > 0 {
		resources = make([]any, len(groups))
		for i, g := range groups {
			resources[i] = proj.apply(h.svc.RenderGroup(g, q.Expand))
		}
	}
	writeSCIM(w, http.StatusOK, listResponse(total, q.StartIndex, resources))
}

func (h *Handler) createGroup(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	g, err := h.svc.CreateGroup(r.Context(), callerFrom(r.Context()).OrganizationID, body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res := h.svc.RenderGroup(g, true)
	w.Header().Set("Location", res["meta"].(doc)["location"].(string))
	writeSCIM(w, http.StatusCreated, singleProjection(r, groupResource).apply(res))
}

func (h *Handler) getGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Group")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	proj := singleProjection(r, groupResource)
	g, err := h.svc.GetGroup(r.Context(), callerFrom(r.Context()).OrganizationID, id, proj.wants("members"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, proj.apply(h.svc.RenderGroup(g, proj.wants("members"))))
}

func (h *Handler) replaceGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Group")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	body, err := decodeBody(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	g, err := h.svc.ReplaceGroup(r.Context(), callerFrom(r.Context()).OrganizationID, id, body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, singleProjection(r, groupResource).apply(h.svc.RenderGroup(g, true)))
}

func (h *Handler) patchGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Group")
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
	g, err := h.svc.PatchGroup(r.Context(), callerFrom(r.Context()).OrganizationID, id, ops)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeSCIM(w, http.StatusOK, singleProjection(r, groupResource).apply(h.svc.RenderGroup(g, true)))
}

func (h *Handler) deleteGroup(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "Group")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.svc.DeleteGroup(r.Context(), callerFrom(r.Context()).OrganizationID, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
