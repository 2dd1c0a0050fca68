package graph

import (
	"encoding/base64"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/auditlog"
)

func intOr(v *int, def int) int {
	if v == nil {
		return def
	}
	return *v
}

func hashText(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }

func hashTexts(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = hashText(h)
	}
	return out
}

func checkpointModel(cp *auditlog.Checkpoint) *model.AuditLogCheckpoint {
	return &model.AuditLogCheckpoint{Origin: cp.Origin, Size: int(cp.Size), RootHash: hashText(cp.Root),
		SignedNote: cp.Note, KeyName: cp.KeyName, CreatedAt: cp.At}
}

func inclusionProofModel(p *auditlog.InclusionProof) *model.AuditLogInclusionProof {
	return &model.AuditLogInclusionProof{Sequence: int(p.Sequence), TreeSize: int(p.TreeSize),
		LeafHash: hashText(p.LeafHash), RootHash: hashText(p.RootHash), Hashes: hashTexts(p.Hashes)}
}

func consistencyProofModel(p *auditlog.ConsistencyProof) *model.AuditLogConsistencyProof {
	return &model.AuditLogConsistencyProof{From: int(p.From), To: int(p.To), FromRootHash: hashText(p.FromRoot),
		ToRootHash: hashText(p.ToRoot), Hashes: hashTexts(p.Hashes)}
}
