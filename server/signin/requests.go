package signin

import (
	"context"
	"fmt"
	"time"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/logging"
)

// Worker bounds.
const (
	// requestPoll is how often the worker looks for requests it was not
	// woken for (recorded by another replica, or due for a retry).
	requestPoll = time.Second
	// maxRequestAttempts is how many times a request that fails (a database
	// error) is tried before it is dropped.
	maxRequestAttempts = 5
	// forgetBucketsEvery is how often idle rate-limit buckets are deleted.
	forgetBucketsEvery = 10 * time.Minute
)

// wakeRequests tells this replica's worker that a request is waiting.
func (s *Service) wakeRequests() {
	select {
	case s.requests <- struct{}{}:
	default:
	}
}

// ServeMagicLinkRequests answers the requests RequestMagicLink records,
// until ctx ends, and now and then forgets idle rate-limit buckets.
//
// It runs as a background job on one replica at a time (package leader, job
// "magic-link-requests"); a request recorded on another replica waits for
// the job's next poll. Each request is answered in one transaction that holds
// its row with SELECT … FOR UPDATE SKIP LOCKED, issues the link (audited),
// enqueues its mail and deletes the row, so even two holders at once would
// answer it once, and if the replica dies the transaction rolls back and the
// request is answered by the next holder. Nothing leaves the database inside
// that transaction (the mail is sent by mail.Outbox), so it holds no lock
// while waiting on anything else.
func (s *Service) ServeMagicLinkRequests(ctx context.Context) {
	nextForget := time.Now()
	for {
		for ctx.Err() == nil {
			served, err := s.serveMagicLinkRequest(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.log.WarnContext(ctx, "magic link requests: cannot read the queue; trying again shortly", "error", err)
				}
				break
			}
			if !served {
				break
			}
		}
		if time.Now().After(nextForget) && ctx.Err() == nil {
			nextForget = time.Now().Add(forgetBucketsEvery)
			if err := s.forgetIdleBuckets(ctx); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "sign-in rate limits: idle buckets could not be deleted; trying again later", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-s.requests:
		case <-time.After(requestPoll):
		}
	}
}

// serveMagicLinkRequest answers the oldest due request, if any, and reports
// whether there was one.
func (s *Service) serveMagicLinkRequest(ctx context.Context) (bool, error) {
	var req magicLinkRequest
	var found, mailed bool
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		var rows []magicLinkRequest
		err := s.db.Conn(ctx).Raw(`SELECT id, email, next_path, organization_id, ip_address, user_agent, request_id, attempts
			FROM magic_link_requests WHERE not_before <= now()
			ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		req, found = rows[0], true
		// The link is issued as a consequence of that request: its events
		// and log lines carry the request's IP, user agent and id.
		rctx := logging.WithRequestID(ctx, req.RequestID)
		rctx = audit.WithRequest(rctx, audit.Request{IPAddress: req.IPAddress, UserAgent: req.UserAgent, RequestID: req.RequestID})
		if mailed, err = s.answerMagicLinkRequest(rctx, req); err != nil {
			return err
		}
		return s.db.Conn(ctx).Exec(`DELETE FROM magic_link_requests WHERE id = ?`, req.ID).Error
	})
	if err == nil {
		if mailed {
			s.outbox.Wake()
		}
		return found, nil
	}
	if !found || ctx.Err() != nil {
		return false, err
	}
	// The answer failed and rolled back; the request waits and is tried
	// again, a bounded number of times.
	rctx := logging.WithRequestID(ctx, req.RequestID)
	if req.Attempts+1 >= maxRequestAttempts {
		s.log.ErrorContext(rctx, fmt.Sprintf("magic link request dropped after %d failed attempts; the person can ask again", req.Attempts+1),
			"error", err)
		return true, s.db.Conn(ctx).Exec(`DELETE FROM magic_link_requests WHERE id = ?`, req.ID).Error
	}
	delay := time.Duration(req.Attempts+1) * 10 * time.Second
	s.log.WarnContext(rctx, "magic link request failed; will try again", "attempt", req.Attempts+1, "retry_in", delay.String(), "error", err)
	return true, s.db.Conn(ctx).Exec(`UPDATE magic_link_requests SET attempts = attempts + 1,
		not_before = now() + make_interval(secs => ?) WHERE id = ?`, delay.Seconds(), req.ID).Error
}

// forgetIdleBuckets deletes the rate-limit buckets idle long enough to be
// full again, so the table holds only recent keys. It runs inside the
// magic-link job, on one replica at a time.
func (s *Service) forgetIdleBuckets(ctx context.Context) error {
	// The buckets of every limiter share the table: only what the slowest
	// to refill would have filled up again is forgotten.
	return forgetIdleBuckets(ctx, s.db, max(s.perEmail.refillTime(), s.perIP.refillTime()))
}
