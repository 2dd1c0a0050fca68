package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/orgtrail/orgtrail/server/auditlog"
	"github.com/orgtrail/orgtrail/server/auditlog/verify"
)

const verifyUsage = `usage:
  orgtrail verify --bundle FILE --key KEY [--checkpoint SAVED] [--save-checkpoint FILE]
  orgtrail verify --server URL [--api-key KEY] [--key KEY] [--checkpoint SAVED] [--save-checkpoint FILE]
                  [--out FILE] [--search S --category C --action A --range R --from T --to T
                   --actor-id ID --resource-type T --resource-id ID --request-id ID --ip-address A
                   --query Q --time-zone Z]

Checks an organization's audit log: every event's leaf hash and inclusion in
the log, the checkpoint's signature, that no event between the first and the
last was removed (an unfiltered bundle), and with --checkpoint that the log
extends a checkpoint saved earlier. Exits 1 naming the first failure.

  --bundle FILE        a bundle downloaded from the Audit Log (offline)
  --server URL         download a bundle from this server (online); the API
                       key (audit_log:read) is --api-key or ORGTRAIL_API_KEY
  --key KEY            the log's public key ("name+hash+base64"), or a file of
                       keys, one per line, as /.well-known/orgtrail-audit-log-key
                       serves them; repeat for keys from before a rotation.
                       Online without --key, the server's own is used (and said so)
  --checkpoint FILE    a checkpoint saved earlier (--save-checkpoint)
  --save-checkpoint F  save the verified checkpoint, for the next run
  --out FILE           online: keep the downloaded bundle
`

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// verifyLog is `orgtrail verify`. It needs neither the database nor the
// server's configuration: only the bundle (or the server's URL) and keys.
func verifyLog(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var keys multiFlag
	fs.Var(&keys, "key", "")
	bundle := fs.String("bundle", "", "")
	server := fs.String("server", "", "")
	apiKey := fs.String("api-key", os.Getenv("ORGTRAIL_API_KEY"), "")
	earlierFile := fs.String("checkpoint", "", "")
	saveFile := fs.String("save-checkpoint", "", "")
	out := fs.String("out", "", "")
	filter := map[string]*string{}
	for flagName, param := range map[string]string{"search": "search", "category": "category", "action": "action",
		"range": "range", "from": "from", "to": "to", "actor-id": "actorId", "resource-type": "resourceType",
		"resource-id": "resourceId", "request-id": "requestId", "ip-address": "ipAddress", "query": "query",
		"time-zone": "timeZone"} {
		filter[param] = fs.String(flagName, "", "")
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w (orgtrail verify --help)", err)
	}
	if (*bundle == "") == (*server == "") {
		return errors.New("give either --bundle or --server (orgtrail verify --help)")
	}
	var earlier []byte
	if *earlierFile != "" {
		var err error
		if earlier, err = os.ReadFile(*earlierFile); err != nil {
			return fmt.Errorf("--checkpoint: %w", err)
		}
	}
	verifiers, err := readKeys(keys)
	if err != nil {
		return err
	}

	var body io.Reader
	if *bundle != "" {
		if len(verifiers) == 0 {
			return errors.New("--key is required with --bundle: the public key must come from somewhere else than the bundle")
		}
		f, err := os.Open(*bundle)
		if err != nil {
			return err
		}
		defer f.Close()
		body = f
	} else {
		base := strings.TrimRight(*server, "/")
		if len(verifiers) == 0 {
			text, err := fetch(ctx, base+"/.well-known/orgtrail-audit-log-key", "")
			if err != nil {
				return err
			}
			if verifiers, err = verify.ParseKeys(string(text)); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "note: trusting the public key the server serves (%s); pin it with --key\n", verifiers[0].Name())
		}
		q := url.Values{}
		for param, v := range filter {
			if *v != "" {
				q.Set(param, *v)
			}
		}
		if earlier != nil {
			cp, err := verify.OpenCheckpoint(earlier, verifiers)
			if err != nil {
				return fmt.Errorf("--checkpoint: %w", err)
			}
			q.Set("since", fmt.Sprint(cp.Size))
		}
		data, err := fetch(ctx, base+"/api/audit-log/bundle?"+q.Encode(), *apiKey)
		if err != nil {
			return err
		}
		if *out != "" {
			if err := os.WriteFile(*out, data, 0o600); err != nil {
				return err
			}
		}
		body = bytes.NewReader(data)
	}

	// The verifier allocates per event and keeps little: collect less often.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	started := time.Now()
	report, err := verify.Bundle(body, verify.Options{Keys: verifiers, Earlier: earlier})
	if err != nil {
		return err
	}
	elapsed := time.Since(started)
	cp := report.Checkpoint
	fmt.Fprintf(stdout, "ok: %d events are in the log %s, unchanged (checked in %s)\n", report.Entries, cp.Origin, elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "checkpoint: %d events, root %s, signed by %s\n", cp.Size, cp.Root, cp.KeyName)
	if report.Complete && report.Entries > 0 {
		fmt.Fprintf(stdout, "complete: every sequence number from %d to %d is accounted for (%d outside the selection, %d expired by retention)\n",
			report.First, report.Last, report.Outside, report.Expired)
	} else if report.Entries > 0 {
		fmt.Fprintln(stdout, "not checked for removals: a filtered bundle cannot show what it leaves out; use an unfiltered one")
	}
	if report.Pending > 0 {
		fmt.Fprintf(stdout, "pending: %d events were committed after the checkpoint; the next one covers them\n", report.Pending)
	}
	if report.Earlier != nil {
		fmt.Fprintf(stdout, "consistent: the log extends the earlier checkpoint of %d events\n", report.Earlier.Size)
	}
	if *saveFile != "" {
		if err := os.WriteFile(*saveFile, cp.Note, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "saved the checkpoint to %s\n", *saveFile)
	}
	return nil
}

// readKeys reads --key values: a key itself, or a file of keys.
func readKeys(values []string) ([]note.Verifier, error) {
	var text strings.Builder
	for _, v := range values {
		if _, err := note.NewVerifier(v); err == nil {
			text.WriteString(v + "\n")
			continue
		}
		data, err := os.ReadFile(v)
		if err != nil {
			return nil, fmt.Errorf("--key %s: neither a public key nor a readable file: %w", v, err)
		}
		text.Write(data)
		text.WriteString("\n")
	}
	if text.Len() == 0 {
		return nil, nil
	}
	return verify.ParseKeys(text.String())
}

// fetch GETs url, with key as Bearer when given, and returns the body of a
// 200 answer.
func fetch(ctx context.Context, u, key string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, bytes.TrimSpace(data))
	}
	return data, nil
}

// auditKey is `orgtrail audit-key generate [--name NAME]`: a new signing key
// for AUDIT_SIGNING_KEY and the public key to publish with it.
func auditKey(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "generate" {
		return errors.New("usage: orgtrail audit-key generate [--name NAME]")
	}
	fs := flag.NewFlagSet("audit-key generate", flag.ContinueOnError)
	name := fs.String("name", auditKeyName(os.Getenv("PUBLIC_URL")), "the key's name, a schema-less URL (default: <PUBLIC_URL host>/orgtrail-audit-log)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	skey, vkey, err := auditlog.GenerateKey(*name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "AUDIT_SIGNING_KEY=%s\n# public key (publish it; keep it after a rotation, in AUDIT_SIGNING_KEY_PREVIOUS):\n%s\n", skey, vkey)
	return nil
}
