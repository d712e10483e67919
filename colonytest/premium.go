package colonytest

import (
	"net/http"
	"sort"
	"time"
)

// Premium membership is dark-launched on the live service: while the programme is
// off, every premium route answers 404 before authentication. EnablePremium turns
// it on; PayPremiumInvoice stands in for the Lightning payment.

type premiumState struct {
	until     time.Time
	autoRenew bool
	period    string
	history   []*premiumInvoice // newest last
}

type premiumInvoice struct {
	hash, period, status, membershipID string
	user                               *user
	amountSats                         int64
	created                            time.Time
	started, expires, paid             *time.Time
}

// premiumPlans are colonytest's prices (invented; the live ones are not published).
var premiumPlans = []struct {
	period string
	usd    float64
	sats   int64
	days   int
}{{"monthly", 5, 5000, 30}, {"annual", 50, 50000, 365}}

// EnablePremium turns the premium programme on or off (off by default, as live).
func (s *Server) EnablePremium(on bool) { s.premiumOn.Store(on) }

// PayPremiumInvoice marks the invoice with paymentHash paid: the membership
// becomes active, stacked on any time left. It reports whether the invoice exists
// and was pending.
func (s *Server) PayPremiumInvoice(paymentHash string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := s.st.org.invoices[paymentHash]
	if inv == nil || inv.status != "pending" {
		return false
	}
	now := s.clock.now()
	ps := s.premiumOf(inv.user)
	start := now
	if ps.until.After(now) {
		start = ps.until
	}
	end := start.AddDate(0, 0, planDays(inv.period))
	inv.status, inv.paid, inv.started, inv.expires = "active", &now, &start, &end
	ps.until, ps.period = end, inv.period
	return true
}

func planDays(period string) int {
	for _, p := range premiumPlans {
		if p.period == period {
			return p.days
		}
	}
	return 30
}

func (s *Server) premiumOf(u *user) *premiumState {
	ps := s.st.org.premium[u.id]
	if ps == nil {
		ps = &premiumState{}
		s.st.org.premium[u.id] = ps
	}
	return ps
}

// premium wraps a premium handler: 404 while the programme is off, then the usual
// authentication and state lock (the route is public and unlocked for that).
func (s *Server) premium(h func(*call)) func(*call) {
	return func(c *call) {
		if !s.premiumOn.Load() {
			c.coded(http.StatusNotFound, codeNotFound, "Not found")
			return
		}
		me, resp := s.authenticate(c.r, c.now)
		if resp != nil {
			c.resp = resp
			return
		}
		c.me = me
		if c.r.Method == http.MethodGet {
			s.mu.RLock()
			defer s.mu.RUnlock()
		} else {
			s.mu.Lock()
			defer s.mu.Unlock()
		}
		h(c)
	}
}

func (s *Server) premiumStatusOut(u *user, now time.Time) map[string]any {
	ps := s.st.org.premium[u.id]
	if ps == nil {
		ps = &premiumState{}
	}
	active := ps.until.After(now)
	out := map[string]any{"is_premium": active, "premium_until": nil, "auto_renew": ps.autoRenew, "current_period": nil}
	if active {
		out["premium_until"] = ts(ps.until)
		out["current_period"] = ps.period
	}
	return out
}

func (s *Server) handlePremiumStatus(c *call) { c.ok(s.premiumStatusOut(c.me, c.now)) }

func (s *Server) handlePremiumPricing(c *call) {
	plans := []map[string]any{}
	for _, p := range premiumPlans {
		plans = append(plans, map[string]any{"period": p.period, "price_usd": p.usd, "price_sats": p.sats, "period_days": p.days})
	}
	c.ok(map[string]any{"program_enabled": true, "plans": plans})
}

func invoiceOut(inv *premiumInvoice) map[string]any {
	return map[string]any{"payment_request": "lnbc" + inv.hash[:20], "amount_sats": inv.amountSats, "payment_hash": inv.hash,
		"period": inv.period, "status": inv.status, "membership_id": inv.membershipID}
}

func (s *Server) handlePremiumHistory(c *call) {
	ps := s.st.org.premium[c.me.id]
	out := []map[string]any{}
	if ps != nil {
		hist := append([]*premiumInvoice(nil), ps.history...)
		sort.SliceStable(hist, func(i, j int) bool { return hist[i].created.After(hist[j].created) })
		for _, inv := range hist {
			m := map[string]any{"id": inv.membershipID, "period": inv.period, "status": inv.status, "payment_method": "lightning",
				"amount_paid": nil, "currency": nil, "started_at": tsPtr(inv.started), "expires_at": tsPtr(inv.expires),
				"paid_at": tsPtr(inv.paid), "created_at": ts(inv.created)}
			if inv.paid != nil {
				m["amount_paid"], m["currency"] = inv.amountSats, "sats"
			}
			out = append(out, m)
		}
	}
	c.ok(out)
}

func (s *Server) handlePremiumSubscribe(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	period, _ := f.str("period", true, 1, 20)
	if !c.valid(f.errs) {
		return
	}
	var sats int64
	for _, p := range premiumPlans {
		if p.period == period {
			sats = p.sats
		}
	}
	if sats == 0 {
		c.coded(http.StatusBadRequest, codeInvalidInput, "period must be monthly or annual")
		return
	}
	inv := &premiumInvoice{hash: randomHex(32), period: period, status: "pending", membershipID: newUUID(), user: c.me,
		amountSats: sats, created: c.now}
	s.st.org.invoices[inv.hash] = inv
	ps := s.premiumOf(c.me)
	ps.history = append(ps.history, inv)
	c.ok(invoiceOut(inv))
}

func (s *Server) handlePremiumInvoice(c *call) {
	inv := s.st.org.invoices[c.params["payment_hash"]]
	if inv == nil || inv.user != c.me {
		c.notFound("Invoice")
		return
	}
	c.ok(invoiceOut(inv))
}

func (s *Server) handlePremiumAutoRenew(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	enabled, _ := f.boolean("enabled", true)
	if !c.valid(f.errs) {
		return
	}
	s.premiumOf(c.me).autoRenew = enabled
	c.ok(s.premiumStatusOut(c.me, c.now))
}
