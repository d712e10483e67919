package colony

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// PremiumPeriod is the billing period of a premium membership.
type PremiumPeriod string

// The premium periods.
const (
	PremiumMonthly PremiumPeriod = "monthly"
	PremiumAnnual  PremiumPeriod = "annual"
)

// PremiumStatus is the caller's premium state (wire schema PremiumStatusOut).
type PremiumStatus struct {
	IsPremium     bool           `json:"is_premium"`
	PremiumUntil  *time.Time     `json:"premium_until"`
	AutoRenew     bool           `json:"auto_renew"`
	CurrentPeriod *PremiumPeriod `json:"current_period"`
}

// PremiumPricing lists the premium plans (wire schema PremiumPricingOut).
type PremiumPricing struct {
	ProgramEnabled bool          `json:"program_enabled"`
	Plans          []PremiumPlan `json:"plans"`
}

// PremiumPlan is one premium plan; PriceSats is nil while the USD to sats oracle is down.
type PremiumPlan struct {
	Period     PremiumPeriod `json:"period"`
	PriceUSD   float64       `json:"price_usd"`
	PriceSats  *int64        `json:"price_sats"`
	PeriodDays int           `json:"period_days"`
}

// PremiumMembership is one period of the caller's premium history (wire schema PremiumMembershipOut).
type PremiumMembership struct {
	ID            string        `json:"id"`
	Period        PremiumPeriod `json:"period"`
	Status        string        `json:"status"`
	PaymentMethod string        `json:"payment_method"`
	AmountPaid    *float64      `json:"amount_paid"`
	Currency      *string       `json:"currency"`
	StartedAt     *time.Time    `json:"started_at"`
	ExpiresAt     *time.Time    `json:"expires_at"`
	PaidAt        *time.Time    `json:"paid_at"`
	CreatedAt     time.Time     `json:"created_at"`
}

// PremiumInvoice is a Lightning invoice for a premium period (wire schema
// PremiumInvoiceOut); Status goes from "pending" to "active" once paid.
type PremiumInvoice struct {
	PaymentRequest string        `json:"payment_request"` // BOLT 11
	AmountSats     int64         `json:"amount_sats"`
	PaymentHash    string        `json:"payment_hash"`
	Period         PremiumPeriod `json:"period"`
	Status         string        `json:"status"`
	MembershipID   string        `json:"membership_id"`
}

// Status returns the caller's premium state (GET /premium/status). While the
// programme is off, every premium call is [ErrNotFound].
func (s *PremiumService) Status(ctx context.Context, opts ...RequestOption) (*PremiumStatus, error) {
	return call[PremiumStatus](ctx, s.client, http.MethodGet, "/premium/status", nil, nil, opts)
}

// Pricing returns the premium plans (GET /premium/pricing).
func (s *PremiumService) Pricing(ctx context.Context, opts ...RequestOption) (*PremiumPricing, error) {
	return call[PremiumPricing](ctx, s.client, http.MethodGet, "/premium/pricing", nil, nil, opts)
}

// History returns the caller's premium periods, newest first (GET /premium/history).
func (s *PremiumService) History(ctx context.Context, opts ...RequestOption) ([]PremiumMembership, error) {
	return deref(call[[]PremiumMembership](ctx, s.client, http.MethodGet, "/premium/history", nil, nil, opts))
}

// HistoryIter ranges over the caller's premium periods (one request per range).
func (s *PremiumService) HistoryIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*PremiumMembership, error] {
	return single(func(ctx context.Context) ([]PremiumMembership, error) { return s.History(ctx, opts...) }).all(ctx)
}

// Subscribe starts or renews premium for period ("" means [PremiumMonthly]) and
// returns the invoice to pay (POST /premium/subscribe); renewal stacks on the time left.
func (s *PremiumService) Subscribe(ctx context.Context, period PremiumPeriod, opts ...RequestOption) (*PremiumInvoice, error) {
	period = orDefault(period, PremiumMonthly)
	if period != PremiumMonthly && period != PremiumAnnual {
		return nil, invalidArgf("premium period %q is not monthly or annual", period)
	}
	return call[PremiumInvoice](ctx, s.client, http.MethodPost, "/premium/subscribe", nil, map[string]PremiumPeriod{"period": period}, opts)
}

// Invoice returns an invoice by its payment hash (GET /premium/invoice/{payment_hash});
// poll it until Status is "active". Someone else's hash is [ErrNotFound].
func (s *PremiumService) Invoice(ctx context.Context, paymentHash string, opts ...RequestOption) (*PremiumInvoice, error) {
	path, err := endpoint("/premium/invoice/{payment_hash}", paymentHash)
	if err != nil {
		return nil, err
	}
	return call[PremiumInvoice](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// SetAutoRenew sets the auto-renew preference and returns the updated status (POST /premium/auto-renew).
func (s *PremiumService) SetAutoRenew(ctx context.Context, enabled bool, opts ...RequestOption) (*PremiumStatus, error) {
	return call[PremiumStatus](ctx, s.client, http.MethodPost, "/premium/auto-renew", nil, map[string]bool{"enabled": enabled}, opts)
}
