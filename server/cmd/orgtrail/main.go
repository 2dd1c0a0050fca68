// Command orgtrail is the Orgtrail server and its administration commands:
//
//	orgtrail serve      serve the API and the admin console
//	orgtrail migrate    apply database migrations
//	orgtrail bootstrap  create an organization and its first admin
//	orgtrail seed       write realistic audit events for demos and benchmarks
//	orgtrail rotate-secret-key  re-encrypt stored secrets under the current SECRET_KEY
//	orgtrail verify     check an organization's audit log (bundle + public key)
//	orgtrail audit-key  generate an audit log signing key
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: orgtrail <command> [flags]

commands:
  serve [--dev]                                   serve HTTP on LISTEN_ADDR (default :8080)
  migrate                                         apply database migrations
  bootstrap --org NAME --admin EMAIL [--api-key]  create an organization and its first admin
  seed --org ID --events N                        write N audit events over the last 120 days
  rotate-secret-key [--batch N] [--dry-run]       re-encrypt stored secrets under SECRET_KEY
                                                  (older keys in SECRET_KEY_PREVIOUS; see
                                                  docs/secret-key-rotation.md)
  verify --bundle FILE --key KEY [--checkpoint F]  check an audit log bundle offline, or online
  verify --server URL [--api-key K] [--key KEY]    with --server; exits 1 naming the first failure
                                                  (orgtrail verify --help; docs/verifiable-log.md)
  audit-key generate [--name NAME]                print a new AUDIT_SIGNING_KEY and its public key

configuration (environment): DATABASE_URL, DATABASE_READ_URL, LISTEN_ADDR, PUBLIC_URL, SECRET_KEY,
SECRET_KEY_PREVIOUS, SMTP_URL, TRUSTED_PROXIES, AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_PREVIOUS.
With DATABASE_URL unset, a project-local PostgreSQL under ./.data is started.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		err = serve(ctx, args)
	case "migrate":
		err = migrate(ctx, args)
	case "bootstrap":
		err = bootstrap(ctx, args)
	case "seed":
		err = seedEvents(ctx, args)
	case "rotate-secret-key":
		err = rotateSecretKey(ctx, args)
	case "verify":
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Print(verifyUsage)
			return
		}
		err = verifyLog(ctx, args, os.Stdout)
	case "audit-key":
		err = auditKey(args, os.Stdout)
	case "help", "-h", "--help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "orgtrail: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "orgtrail %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
