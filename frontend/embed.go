// Package frontend embeds the built single-page app (frontend/dist) into the
// orgtrail binary.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built app's files. It holds only a placeholder until
// `make build` has built the app.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	return sub
}
