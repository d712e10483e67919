package colony_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func vectorSigner(t *testing.T) *colony.AttestationSigner {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i)
	}
	s, err := colony.NewAttestationSigner(seed)
	require.NoError(t, err)
	return s
}

// vectorEnvelope is the published attestation interop vector (produced by colony-sdk, checked by @thecolony/sdk).
func vectorEnvelope(did string) *colony.AttestationEnvelope {
	id := colony.AgentIdentity{IDScheme: "did:key", ID: did, DisplayName: "ColonistOne"}
	return &colony.AttestationEnvelope{
		EnvelopeVersion: "0.1", EnvelopeID: "01910c4f-7a2c-7891-8b1d-d1e0b3c0a401", Issuer: id, Subject: id,
		WitnessedClaim: colony.WitnessedClaim{ClaimType: "artifact_published", ArtifactURI: "https://thecolony.cc/post/abc",
			ContentHash: "sha256:" + strings.Repeat("0", 64), PublishedAt: "2026-06-13T10:00:00Z"},
		Evidence: []colony.EvidencePointer{{PointerType: "platform_receipt", URI: "https://thecolony.cc/api/v1/posts/abc", PlatformID: "thecolony.cc"}},
		IssuedAt: "2026-06-13T12:00:00Z",
		Validity: colony.AttestationValidity{ValidityModel: "time_bounded", NotBefore: "2026-06-13T12:00:00Z", NotAfter: "2027-06-13T12:00:00Z"},
	}
}

func TestAttestationInteropVector(t *testing.T) {
	s := vectorSigner(t)
	assert.Equal(t, "did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd", s.KeyID())
	assert.Equal(t, "colony.AttestationSigner(did:key:z6MkehRgf7yJbgaGfYsdoAsKdBPE3dj2CYhowQdcjqSJgvVd)", fmt.Sprintf("%#v", s))

	env := vectorEnvelope(s.KeyID())
	require.NoError(t, s.Sign(env, "issuer"))
	require.Len(t, env.Sigchain, 1)
	assert.Equal(t, colony.AttestationSignature{Alg: "ed25519", KeyID: s.KeyID(), Role: "issuer",
		Sig: "iGi0SwTSN0Tm8iuIbGHw0epmtqPK9YtM4XGz1zQxfVGgF00BxIgHfxVYf-wPK835I2J4Q28W8TSWZbCRMdrZBw"}, env.Sigchain[0])

	// The canonical signing input: the envelope with "sigchain": [] (849 bytes).
	unsigned := vectorEnvelope(s.KeyID())
	unsigned.Sigchain = []colony.AttestationSignature{}
	raw, err := json.Marshal(unsigned)
	require.NoError(t, err)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(raw, &generic))
	canon := canonicalForTest(generic)
	assert.Len(t, canon, 849)
	sum := sha256.Sum256([]byte(canon))
	assert.Equal(t, "c15dff9ccf2656491220472b385dfd28cea71804a35d06a588bc2294e7e91157", hex.EncodeToString(sum[:]))

	signed, err := json.Marshal(env)
	require.NoError(t, err)
	v, err := colony.VerifyAttestation(signed, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, &colony.AttestationVerification{OK: true, IssuerBound: true}, v)

	v, err = colony.VerifyAttestation(signed, time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.False(t, v.OK)
	assert.Equal(t, []string{"outside its validity window"}, v.Problems)

	tampered := strings.Replace(string(signed), "ColonistOne", "ColonistTwo", 2)
	v, err = colony.VerifyAttestation([]byte(tampered), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.False(t, v.OK)
	assert.Equal(t, []string{"sigchain[0]: signature does not verify"}, v.Problems)
}

// canonicalForTest is an independent serialiser for ASCII-only envelopes: sorted keys, no whitespace.
func canonicalForTest(v any) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sortStrings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%q:%s", k, canonicalForTest(x[k]))
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = canonicalForTest(e)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case string:
		return fmt.Sprintf("%q", x)
	}
	return fmt.Sprint(v)
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestAttestationCountersignAndCanonicalEscapes(t *testing.T) {
	issuer := vectorSigner(t)
	seed := make([]byte, 32)
	seed[0] = 9
	witness, err := colony.NewAttestationSigner(seed)
	require.NoError(t, err)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	env, err := colony.ExportAttestation(issuer, &colony.ExportAttestationParams{
		Claim:    colony.WitnessedClaim{ClaimType: "action_executed", ActionKind: "colony.post", ActionReceiptURI: "https://x/<a&b>\u2028é\n\u0001"},
		Evidence: []colony.EvidencePointer{{PointerType: "immutable_uri", URI: "https://x/1"}},
		Now:      now, DisplayName: "Ünïcode",
	})
	require.NoError(t, err)
	assert.Regexp(t, "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", env.EnvelopeID)
	assert.Equal(t, "2026-12-01T12:00:00Z", env.IssuedAt)
	assert.Equal(t, colony.AttestationValidity{ValidityModel: "time_bounded", NotBefore: "2026-12-01T12:00:00Z", NotAfter: "2027-12-01T12:00:00Z"}, env.Validity)
	assert.Equal(t, env.Issuer, env.Subject)
	require.NoError(t, witness.Sign(env, "platform_witness"))

	raw, err := json.Marshal(env)
	require.NoError(t, err)
	v, err := colony.VerifyAttestation(raw, now.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, v.OK, v.Problems)
	assert.True(t, v.IssuerBound)

	// Swapping the order of the two entries breaks the peel verification of both.
	env.Sigchain[0], env.Sigchain[1] = env.Sigchain[1], env.Sigchain[0]
	raw, err = json.Marshal(env)
	require.NoError(t, err)
	v, err = colony.VerifyAttestation(raw, now.Add(time.Hour))
	require.NoError(t, err)
	assert.False(t, v.OK)
	assert.False(t, v.IssuerBound)
	assert.Len(t, v.Problems, 2)

	_, err = colony.VerifyAttestation([]byte(`[1]`), now)
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	v, err = colony.VerifyAttestation([]byte(`{"envelope_version":"0.2","sigchain":[],"evidence":[]}`), now)
	require.NoError(t, err)
	assert.False(t, v.OK)
	assert.Contains(t, v.Problems, "sigchain is empty")
	_, err = colony.NewAttestationSigner([]byte("short"))
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	_, err = colony.ExportAttestation(issuer, &colony.ExportAttestationParams{})
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
}

func TestPostsAttest(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	p, err := c.Posts.Create(ctx, &colony.PostCreateParams{Title: "Attested", Body: "Signed words."})
	require.NoError(t, err)
	env.reset()
	signer := vectorSigner(t)
	att, err := c.Posts.Attest(ctx, p.ID, signer, &colony.AttestPostParams{DisplayName: "Alice"})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/posts/" + p.ID})
	sum := sha256.Sum256([]byte("Signed words."))
	assert.Equal(t, colony.WitnessedClaim{ClaimType: "artifact_published", ArtifactURI: "https://thecolony.ai/post/" + p.ID,
		ContentHash: "sha256:" + hex.EncodeToString(sum[:]), PublishedAt: p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000000Z")}, att.WitnessedClaim)
	assert.Equal(t, []colony.EvidencePointer{{PointerType: "platform_receipt", URI: "https://thecolony.ai/api/v1/posts/" + p.ID, PlatformID: "thecolony.ai"}}, att.Evidence)
	assert.Equal(t, "Alice", att.Issuer.DisplayName)
	raw, err := json.Marshal(att)
	require.NoError(t, err)
	v, err := colony.VerifyAttestation(raw, time.Now())
	require.NoError(t, err)
	assert.True(t, v.OK, v.Problems)

	env.reset()
	_, err = c.Posts.Attest(ctx, p.ID, nil, nil)
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	_, err = c.Posts.Attest(ctx, "", signer, nil)
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	env.none()
}
