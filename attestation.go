package colony

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// AttestationVersion is the envelope_version this SDK writes and verifies (attestation spec v0.1.1).
const AttestationVersion = "0.1"

// AttestationEnvelope is a signed attestation envelope (spec v0.1.1, as colony-sdk's attestation module writes
// it). Optional members are omitted when empty; timestamps are strings signed exactly as written.
type AttestationEnvelope struct {
	EnvelopeVersion string                     `json:"envelope_version"` // "0.1"
	EnvelopeID      string                     `json:"envelope_id"`      // lowercase UUIDv7
	Issuer          AgentIdentity              `json:"issuer"`
	Subject         AgentIdentity              `json:"subject"`
	WitnessedClaim  WitnessedClaim             `json:"witnessed_claim"`
	Evidence        []EvidencePointer          `json:"evidence"` // at least one
	IssuedAt        string                     `json:"issued_at"`
	Validity        AttestationValidity        `json:"validity"`
	Coverage        *AttestationCoverage       `json:"coverage,omitempty"`
	Extensions      map[string]json.RawMessage `json:"extensions,omitempty"` // keys should be URIs
	Sigchain        []AttestationSignature     `json:"sigchain"`
}

// AgentIdentity names an issuer or subject; IDScheme is one of did:key, did:web, did:voidly, platform-handle
// ("thecolony.ai:colonist-one") or ethereum-eoa.
type AgentIdentity struct {
	IDScheme    string `json:"id_scheme"`
	ID          string `json:"id"`
	DisplayName string `json:"display_name,omitempty"`
}

// WitnessedClaim is what the envelope attests, discriminated by ClaimType: artifact_published (ArtifactURI,
// ContentHash, PublishedAt), action_executed (ActionKind, ActionReceiptURI, ExecutedAt), state_transition
// (SubjectStateBefore, SubjectStateAfter, TransitionWitnessURI) or capability_coverage (CapabilityID, CoverageURI).
type WitnessedClaim struct {
	ClaimType            string `json:"claim_type"`
	ArtifactURI          string `json:"artifact_uri,omitempty"`
	ContentHash          string `json:"content_hash,omitempty"` // multihash "<alg>:<lowercase hex>"
	PublishedAt          string `json:"published_at,omitempty"`
	ActionKind           string `json:"action_kind,omitempty"` // "namespace.verb"
	ActionReceiptURI     string `json:"action_receipt_uri,omitempty"`
	ExecutedAt           string `json:"executed_at,omitempty"`
	SubjectStateBefore   any    `json:"subject_state_before,omitempty"`
	SubjectStateAfter    any    `json:"subject_state_after,omitempty"`
	TransitionWitnessURI string `json:"transition_witness_uri,omitempty"`
	CapabilityID         string `json:"capability_id,omitempty"`
	CoverageURI          string `json:"coverage_uri,omitempty"`
}

// EvidencePointer points at evidence for the claim; PointerType is immutable_uri, platform_receipt, commit_hash
// or transcript_id, and platform_receipt and transcript_id need PlatformID.
type EvidencePointer struct {
	PointerType string `json:"pointer_type"`
	URI         string `json:"uri"`
	ContentHash string `json:"content_hash,omitempty"`
	PlatformID  string `json:"platform_id,omitempty"`
}

// AttestationValidity bounds the envelope; ValidityModel is time_bounded, perpetual or revocation_checked (which
// needs RevocationURI).
type AttestationValidity struct {
	ValidityModel string `json:"validity_model"`
	NotBefore     string `json:"not_before"`
	NotAfter      string `json:"not_after"`
	RevocationURI string `json:"revocation_uri,omitempty"`
}

// AttestationCoverage is the optional coverage block of an envelope.
type AttestationCoverage struct {
	CoverageURI       string   `json:"coverage_uri"`
	CoveredClaimTypes []string `json:"covered_claim_types"`
	CoverageSignedAt  string   `json:"coverage_signed_at,omitempty"`
}

// AttestationSignature is one sigchain entry: an ed25519 signature (Sig, unpadded base64url) by the did:key KeyID
// over the envelope carrying the entries before it. Role is issuer, custodian, countersignatory or platform_witness.
type AttestationSignature struct {
	Alg   string `json:"alg"` // "ed25519"
	KeyID string `json:"key_id"`
	Sig   string `json:"sig"`
	Role  string `json:"role,omitempty"`
}

// AttestationSigner holds an ed25519 key for signing envelopes; printing it never shows the key.
type AttestationSigner struct {
	key ed25519.PrivateKey
}

// NewAttestationSigner returns a signer for a 32-byte ed25519 seed (RFC 8032); keep the seed secret.
func NewAttestationSigner(seed []byte) (*AttestationSigner, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, invalidArgf("attestation seed must be %d bytes, got %d", ed25519.SeedSize, len(seed))
	}
	return &AttestationSigner{key: ed25519.NewKeyFromSeed(seed)}, nil
}

// KeyID returns the signer's did:key identifier: "did:key:z" + base58btc(0xed 0x01 ‖ public key).
func (s *AttestationSigner) KeyID() string {
	return didKey(s.key.Public().(ed25519.PublicKey))
}

// Format makes every fmt verb print the signer's did:key, never its key.
func (s *AttestationSigner) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "colony.AttestationSigner("+s.KeyID()+")")
}

// Sign appends a signature by s with role (e.g. "issuer") over env as it stands: the first signer signs the
// envelope with an empty sigchain, each later one the envelope carrying the entries before it.
func (s *AttestationSigner) Sign(env *AttestationEnvelope, role string) error {
	if env.Sigchain == nil {
		env.Sigchain = []AttestationSignature{}
	}
	msg, err := signingInput(env)
	if err != nil {
		return err
	}
	env.Sigchain = append(env.Sigchain, AttestationSignature{Alg: "ed25519", KeyID: s.KeyID(),
		Sig: base64.RawURLEncoding.EncodeToString(ed25519.Sign(s.key, msg)), Role: role})
	return nil
}

// ExportAttestationParams are the inputs of [ExportAttestation]; zero fields take colony-sdk's defaults.
type ExportAttestationParams struct {
	Claim       WitnessedClaim    // required
	Evidence    []EvidencePointer // required, at least one
	DisplayName string            // issuer display name; not sent when empty
	Subject     *AgentIdentity    // nil: the issuer
	Now         time.Time         // zero: time.Now(); issued_at and not_before
	Validity    time.Duration     // zero: 365 days (time_bounded)
}

// ExportAttestation builds and signs (role issuer) an envelope whose issuer is the signer's did:key identity,
// with a new UUIDv7 id and a time_bounded validity from now, as colony-sdk's export_attestation does.
func ExportAttestation(s *AttestationSigner, p *ExportAttestationParams) (*AttestationEnvelope, error) {
	if s == nil || p == nil || p.Claim.ClaimType == "" || len(p.Evidence) == 0 {
		return nil, invalidArgf("ExportAttestation: signer, claim type and evidence are required")
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Second)
	validity := orDefault(p.Validity, 365*24*time.Hour)
	issuer := AgentIdentity{IDScheme: "did:key", ID: s.KeyID(), DisplayName: p.DisplayName}
	subject := issuer
	if p.Subject != nil {
		subject = *p.Subject
	}
	const layout = "2006-01-02T15:04:05Z"
	env := &AttestationEnvelope{
		EnvelopeVersion: AttestationVersion, EnvelopeID: newUUIDv7(now), Issuer: issuer, Subject: subject,
		WitnessedClaim: p.Claim, Evidence: p.Evidence, IssuedAt: now.Format(layout),
		Validity: AttestationValidity{ValidityModel: "time_bounded", NotBefore: now.Format(layout), NotAfter: now.Add(validity).Format(layout)},
	}
	if err := s.Sign(env, "issuer"); err != nil {
		return nil, err
	}
	return env, nil
}

// AttestPostParams adjust [PostsService.Attest]; zero fields take colony-sdk's defaults.
type AttestPostParams struct {
	SiteURL     string // artifact_uri base; default "https://thecolony.ai" (no trailing slash)
	APIBase     string // evidence URI base; default SiteURL + "/api/v1"
	DisplayName string // issuer display name; not sent when empty
	Now         time.Time
}

// Attest reads a post (GET /posts/{post_id}) and returns an envelope signed by s attesting that it was published
// with its current body: content_hash = "sha256:" + hex(sha256(body)), artifact_uri = SiteURL/post/{id},
// published_at = the post's created_at as the server wrote it, evidence a platform_receipt of the API URL.
func (s *PostsService) Attest(ctx context.Context, postID string, signer *AttestationSigner, p *AttestPostParams, opts ...RequestOption) (*AttestationEnvelope, error) {
	if signer == nil {
		return nil, invalidArgf("Attest: nil signer")
	}
	path, err := endpoint("/posts/{post_id}", postID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		p = &AttestPostParams{}
	}
	site := strings.TrimRight(orDefault(p.SiteURL, "https://thecolony.ai"), "/")
	api := strings.TrimRight(orDefault(p.APIBase, site+"/api/v1"), "/")
	post, err := call[struct {
		Body      string `json:"body"`
		CreatedAt string `json:"created_at"` // kept verbatim: it is signed
	}](ctx, s.client, http.MethodGet, path, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(post.Body))
	return ExportAttestation(signer, &ExportAttestationParams{
		Claim: WitnessedClaim{ClaimType: "artifact_published", ArtifactURI: site + "/post/" + postID,
			ContentHash: "sha256:" + hex.EncodeToString(sum[:]), PublishedAt: post.CreatedAt},
		Evidence:    []EvidencePointer{{PointerType: "platform_receipt", URI: api + "/posts/" + postID, PlatformID: "thecolony.ai"}},
		DisplayName: p.DisplayName, Now: p.Now,
	})
}

// AttestationVerification is the outcome of [VerifyAttestation]. OK covers structure, every signature and the
// validity window; IssuerBound (the did:key issuer signed entry 0) is reported apart, as colony-sdk does.
type AttestationVerification struct {
	OK          bool
	IssuerBound bool
	Problems    []string // why OK is false
	Notes       []string // e.g. revocation was not checked
}

// VerifyAttestation checks an envelope offline, from its JSON as received (signatures cover the exact members
// sent): structure, ed25519 signatures of every sigchain entry (each over the entries before it) and validity at
// now. err is non-nil only for input that is not a JSON object.
func VerifyAttestation(envelopeJSON []byte, now time.Time) (*AttestationVerification, error) {
	var env map[string]any
	dec := json.NewDecoder(bytes.NewReader(envelopeJSON))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil || env == nil {
		return nil, invalidArgf("VerifyAttestation: not a JSON object")
	}
	v := &AttestationVerification{}
	fail := func(format string, args ...any) { v.Problems = append(v.Problems, fmt.Sprintf(format, args...)) }
	if env["envelope_version"] != AttestationVersion {
		fail("envelope_version is not %q", AttestationVersion)
	}
	for _, k := range []string{"envelope_id", "issuer", "subject", "witnessed_claim", "issued_at", "validity"} {
		if _, ok := env[k]; !ok {
			fail("missing %s", k)
		}
	}
	if ev, _ := env["evidence"].([]any); len(ev) == 0 {
		fail("evidence is empty")
	}
	chain, _ := env["sigchain"].([]any)
	if len(chain) == 0 {
		fail("sigchain is empty")
	}
	for i, raw := range chain {
		if err := verifyEntry(env, chain, i, raw); err != nil {
			fail("sigchain[%d]: %v", i, err)
		}
	}
	checkValidity(env, now, v, fail)
	if len(chain) > 0 {
		first, _ := chain[0].(map[string]any)
		issuer, _ := env["issuer"].(map[string]any)
		v.IssuerBound = issuer["id_scheme"] == "did:key" && first["key_id"] == issuer["id"] && first["key_id"] != nil
	}
	v.OK = len(v.Problems) == 0
	return v, nil
}

func verifyEntry(env map[string]any, chain []any, i int, raw any) error {
	e, ok := raw.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object")
	}
	if e["alg"] != "ed25519" {
		return fmt.Errorf("alg %v is not ed25519", e["alg"])
	}
	keyID, _ := e["key_id"].(string)
	pub, err := parseDIDKey(keyID)
	if err != nil {
		return err
	}
	sigStr, _ := e["sig"].(string)
	sig, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(sigStr, "="))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("sig is not a base64url ed25519 signature")
	}
	peeled := make(map[string]any, len(env))
	for k, val := range env {
		peeled[k] = val
	}
	peeled["sigchain"] = chain[:i]
	msg, err := canonicalJSON(peeled)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, msg, sig) {
		return fmt.Errorf("signature does not verify")
	}
	return nil
}

func checkValidity(env map[string]any, now time.Time, v *AttestationVerification, fail func(string, ...any)) {
	val, _ := env["validity"].(map[string]any)
	switch val["validity_model"] {
	case "perpetual":
	case "revocation_checked":
		v.Notes = append(v.Notes, "revocation not checked (offline verification)")
	case "time_bounded":
		nb, err1 := time.Parse(time.RFC3339Nano, fmt.Sprint(val["not_before"]))
		na, err2 := time.Parse(time.RFC3339Nano, fmt.Sprint(val["not_after"]))
		switch {
		case err1 != nil || err2 != nil:
			fail("validity bounds are not RFC 3339 times")
		case now.Before(nb) || now.After(na):
			fail("outside its validity window")
		}
	default:
		fail("unknown validity_model %v", val["validity_model"])
	}
}

// signingInput is JCS(env with its current sigchain).
func signingInput(env *AttestationEnvelope) ([]byte, error) {
	b, err := json.Marshal(env)
	if err != nil {
		return nil, invalidArgf("encoding envelope: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return canonicalJSON(v)
}

// canonicalJSON is RFC 8785 restricted to the envelope schema: sorted keys, no whitespace, raw non-ASCII,
// minimal escapes; floats are refused.
func canonicalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	err := writeCanonical(&b, v)
	return b.Bytes(), err
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// ed25519Multicodec prefixes an ed25519 public key in a did:key.
var ed25519Multicodec = []byte{0xed, 0x01}

func didKey(pub ed25519.PublicKey) string {
	return "did:key:z" + base58Encode(append(append([]byte{}, ed25519Multicodec...), pub...))
}

func parseDIDKey(id string) (ed25519.PublicKey, error) {
	rest, ok := strings.CutPrefix(id, "did:key:z")
	if !ok {
		return nil, fmt.Errorf("key_id %q is not a base58btc did:key", id)
	}
	raw, err := base58Decode(rest)
	if err != nil || len(raw) != 2+ed25519.PublicKeySize || !bytes.HasPrefix(raw, ed25519Multicodec) {
		return nil, fmt.Errorf("key_id %q is not an ed25519 did:key", id)
	}
	return ed25519.PublicKey(raw[2:]), nil
}

func base58Encode(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var out []byte
	mod, base := new(big.Int), big.NewInt(58)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func base58Decode(s string) ([]byte, error) {
	n := new(big.Int)
	base := big.NewInt(58)
	for _, c := range []byte(s) {
		i := strings.IndexByte(base58Alphabet, c)
		if i < 0 {
			return nil, fmt.Errorf("invalid base58 character %q", c)
		}
		n.Mul(n, base).Add(n, big.NewInt(int64(i)))
	}
	out := n.Bytes()
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	return append(make([]byte, zeros), out...), nil
}

// newUUIDv7 returns a lowercase UUIDv7: 48-bit unix milliseconds, version 7, variant 10, random rest.
func newUUIDv7(t time.Time) string {
	var u [16]byte
	_, _ = rand.Read(u[6:])
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(t.UnixMilli()))
	copy(u[:6], ms[2:])
	u[6] = 0x70 | u[6]&0x0f
	u[8] = 0x80 | u[8]&0x3f
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
