// Package replicas proves, from outside, that Orgtrail runs as several
// replicas: its test builds the real `orgtrail` binary, starts two
// `orgtrail serve` processes on one empty database at the same moment, puts
// Debian's HAProxy in front of them (round robin, health checks on /readyz),
// drives audited writes and Audit Log reads through it, kills one server with
// SIGKILL halfway and starts it again, and checks what must hold: no audit
// row lost or duplicated, no error outside the seconds after the kill,
// sessions valid on both servers, each background job on one server at a
// time.
//
// `go test ./server/replicas` runs it with a 20-second load (REPLICAS_LOAD
// changes it); `make try-replicas` runs it for a minute and prints what it
// saw. Without haproxy on PATH the test is skipped with a message, except
// under CI=true, where it fails.
package replicas
