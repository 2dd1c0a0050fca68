package seed

import (
	"math"
	"sort"
	"time"
)

// timeline spreads events over a window the way a working organization
// produces them: mostly on weekdays and office hours, growing a little over
// time. Event i of n lands at quantile (i+u)/n of the window's activity, so
// generated times come out sorted, which keeps the primary key's inserts at
// the right edge of the index.
type timeline struct {
	start time.Time
	cum   []float64 // cum[h] is the activity in the window's first h hours, normalised to 1
}

func newTimeline(now time.Time, days int) *timeline {
	hours := days * 24
	start := now.Add(-time.Duration(hours) * time.Hour)
	cum := make([]float64, hours+1)
	for h := range hours {
		t := start.Add(time.Duration(h) * time.Hour)
		cum[h+1] = cum[h] + activity(t, float64(h)/float64(hours))
	}
	total := cum[hours]
	for h := range cum {
		cum[h] /= total
	}
	return &timeline{start: start, cum: cum}
}

// activity is the relative rate of events in the hour starting at t, at
// position progress (0 oldest, 1 newest) in the window.
func activity(t time.Time, progress float64) float64 {
	day := 1.0
	switch t.Weekday() {
	case time.Saturday, time.Sunday:
		day = 0.2
	}
	// Office hours peak around 14:00 UTC (morning in the Americas, afternoon
	// in Europe) over a floor of night-time automation.
	d := float64(t.Hour()) - 14
	hour := 0.08 + math.Exp(-d*d/(2*4*4))
	growth := 0.75 + 0.5*progress
	return day * hour * growth
}

// at returns the time of quantile q in [0, 1) of the window's activity.
func (tl *timeline) at(q float64) time.Time {
	h := sort.SearchFloat64s(tl.cum, q)
	// cum[h-1] < q <= cum[h]: the event is in hour h-1.
	if h == 0 {
		h = 1
	}
	if h >= len(tl.cum) {
		h = len(tl.cum) - 1
	}
	lo, hi := tl.cum[h-1], tl.cum[h]
	frac := 0.0
	if hi > lo {
		frac = (q - lo) / (hi - lo)
	}
	offset := (float64(h-1) + frac) * float64(time.Hour)
	return tl.start.Add(time.Duration(offset)).Truncate(time.Microsecond)
}
