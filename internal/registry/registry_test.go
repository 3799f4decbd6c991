package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/opendata-docket/docket/internal/docket"
	"github.com/opendata-docket/docket/internal/keys"
	"github.com/opendata-docket/docket/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

const armored = "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n"

func sample(t *testing.T) *Registry {
	t.Helper()
	day := docket.MustDate("2026-11-20")
	r := New()
	for i, st := range []Status{StatusRevoked, StatusActive, StatusPending} {
		k, err := keys.New("test")
		if err != nil {
			t.Fatal(err)
		}
		key := &Key{ID: keys.ID("bus-feed", i+1), Request: "bus-feed", SHA256: keys.Hash(k), Scopes: []string{"calls-311"},
			Limits: docket.Limits{RequestsPerDay: 5000, RequestsPerSecond: 2.5}, Status: st, NotAfter: day.AddDays(365),
			Created: day, Changed: day, Delivery: Delivery{Recipients: []Recipient{{Type: "age", Fingerprint: "age1example"}}, Ciphertext: armored}}
		if st != StatusPending {
			key.Delivery.Delivered = &Delivered{Date: day, Via: ViaFile, File: key.ID + ".age"}
		}
		if i > 0 {
			key.Replaces, key.Rotation = keys.ID("bus-feed", i), i
		}
		r.Keys = append(r.Keys, key)
	}
	return r
}

func TestRoundTrip(t *testing.T) {
	r := sample(t)
	data, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := back.Encode()
	if err != nil || !bytes.Equal(data, again) {
		t.Errorf("round trip changed the registry (%v):\n%s\n%s", err, data, again)
	}
	if got := NextID(back.Of("bus-feed"), "bus-feed"); got != "bus-feed-4" {
		t.Errorf("NextID = %s", got)
	}
	if got := NextID(nil, "bus-feed"); got != "bus-feed-1" {
		t.Errorf("NextID of none = %s", got)
	}
}

// What docket writes is what the published schema describes, so a gateway written from the
// schema reads it.
func TestEncodedMatchesSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	f, err := schema.FS.Open(schema.Keys)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const id = "https://opendata-docket.github.io/docket/schema/keys.schema.json"
	if err := c.AddResource(id, f); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*Registry{"empty": New(), "sample": sample(t)} {
		data, err := r.Encode()
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(v); err != nil {
			t.Errorf("%s: %v\n%s", name, err, data)
		}
	}
	// And the schema says no to what docket would not write.
	for _, bad := range []string{
		`{"version": 1, "keys": [], "key": "x"}`,
		`{"version": 2, "keys": []}`,
		`{"version": 1, "keys": [{"id": "a-1", "request": "a", "sha256": "00", "scopes": [], "limits": {"requests_per_day": 1, "requests_per_second": 1}, "status": "active", "not_after": "2027-01-01", "created": "2026-01-01", "changed": "2026-01-01", "delivery": {"recipients": [{"type": "age", "fingerprint": "x"}], "ciphertext": "x"}}]}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(bad), &v); err != nil {
			t.Fatal(err)
		}
		if s.Validate(v) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
	// The schema's own example is valid too.
	raw, _ := schema.FS.ReadFile(schema.Keys)
	var doc struct{ Examples []any }
	if err := json.Unmarshal(raw, &doc); err != nil || len(doc.Examples) == 0 {
		t.Fatalf("examples: %v", err)
	}
	for _, ex := range doc.Examples {
		if err := s.Validate(ex); err != nil {
			t.Errorf("example: %v", err)
		}
	}
}

func TestCheck(t *testing.T) {
	for name, tc := range map[string]struct {
		edit func(r *Registry)
		want string
	}{
		"two active": {func(r *Registry) {
			r.Keys[2].Status = StatusActive
			r.Keys[2].Delivery.Delivered = r.Keys[1].Delivery.Delivered
		}, "already has an active key, bus-feed-2"},
		"same id":       {func(r *Registry) { r.Keys[2].ID = "bus-feed-2" }, "the id is used twice"},
		"same hash":     {func(r *Registry) { r.Keys[2].SHA256 = r.Keys[0].SHA256 }, "has the same hash as bus-feed-1"},
		"bad hash":      {func(r *Registry) { r.Keys[0].SHA256 = strings.ToUpper(r.Keys[0].SHA256) }, "64 lowercase hexadecimal"},
		"bad id":        {func(r *Registry) { r.Keys[0].ID = "other-1" }, "the id must be the request id and a number"},
		"status":        {func(r *Registry) { r.Keys[0].Status = "lost" }, `unknown status "lost"`},
		"undelivered":   {func(r *Registry) { r.Keys[1].Delivery.Delivered = nil }, "active but never delivered"},
		"no ciphertext": {func(r *Registry) { r.Keys[0].Delivery.Ciphertext = "" }, "no ciphertext"},
		"other version": {func(r *Registry) { r.Version = 2 }, "keys.json is version 2; this docket reads version 1"},
	} {
		r := sample(t)
		tc.edit(r)
		err := r.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Check = %v, want %q", name, err, tc.want)
		}
		if _, err := r.Encode(); err == nil {
			t.Errorf("%s: Encode wrote a registry that fails Check", name)
		}
	}
}

// Whatever a bug puts in the registry, Encode never writes a key.
func TestEncodeRefusesAKey(t *testing.T) {
	k, _ := keys.New("test")
	for name, edit := range map[string]func(r *Registry){
		"reason":     func(r *Registry) { r.Keys[0].Reason = "oops " + k },
		"ciphertext": func(r *Registry) { r.Keys[0].Delivery.Ciphertext = armored + k },
		"scope":      func(r *Registry) { r.Keys[0].Scopes = []string{k} },
	} {
		r := sample(t)
		edit(r)
		data, err := r.Encode()
		if !errors.Is(err, ErrHoldsKey) || data != nil {
			t.Errorf("%s: Encode = %d bytes, %v", name, len(data), err)
		}
	}
}

func TestDecodeIsStrict(t *testing.T) {
	for name, text := range map[string]string{
		"unknown field": `{"version": 1, "keys": [], "secret": "x"}`,
		"two documents": `{"version": 1, "keys": []} {}`,
		"not json":      `version: 1`,
		"version":       `{"version": 3, "keys": []}`,
		// A registry without its list of keys is not an empty registry: read as one, every key
		// would be issued again.
		"no keys":         `{"version": 1}`,
		"null keys":       `{"version": 1, "keys": null}`,
		"no version":      `{"keys": []}`,
		"keys not a list": `{"version": 1, "keys": {}}`,
	} {
		if _, err := Decode([]byte(text)); err == nil {
			t.Errorf("%s: Decode accepted %s", name, text)
		}
	}
	// Every field the schema requires, taken out or set to null, is refused.
	data, err := sample(t).Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"id", "request", "sha256", "scopes", "limits", "status", "not_after", "created", "changed", "delivery", "requests_per_day", "recipients", "ciphertext", "via"} {
		for _, edit := range []string{"missing", "null"} {
			var v map[string]any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Fatal(err)
			}
			k := v["keys"].([]any)[1].(map[string]any)
			for _, m := range []map[string]any{k, k["limits"].(map[string]any), k["delivery"].(map[string]any), k["delivery"].(map[string]any)["delivered"].(map[string]any)} {
				if _, ok := m[field]; ok {
					if edit == "missing" {
						delete(m, field)
					} else {
						m[field] = nil
					}
				}
			}
			bad, _ := json.Marshal(v)
			if _, err := Decode(bad); err == nil {
				t.Errorf("%s %s: Decode accepted it", field, edit)
			}
		}
	}
	if _, err := Decode(data); err != nil {
		t.Errorf("what Encode writes: %v", err)
	}
}

func TestClone(t *testing.T) {
	r := sample(t)
	c := r.Clone()
	c.Keys[1].Scopes[0] = "changed"
	c.Keys[1].Delivery.Delivered.File = "changed"
	c.Keys[1].Status = StatusRevoked
	if r.Keys[1].Scopes[0] != "calls-311" || r.Keys[1].Delivery.Delivered.File == "changed" || r.Keys[1].Status != StatusActive {
		t.Error("Clone shares memory with the original")
	}
}

// A registry read that holds a key anywhere, plainly or in JSON escapes, is refused.
func TestDecodeRefusesAKey(t *testing.T) {
	k, _ := keys.New("test")
	r := sample(t)
	r.Keys[0].Reason = "delivered"
	data, err := r.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"plain":   "see " + k,
		"joined":  "API_KEY_" + k + "X",
		"escaped": "see " + strings.Replace(k, "_", `\u005f`, 1),
	} {
		bad := strings.Replace(string(data), `"reason": "delivered"`, `"reason": "`+in+`"`, 1)
		if bad == string(data) {
			t.Fatal("the sample has no reason to replace")
		}
		if _, err := Decode([]byte(bad)); !errors.Is(err, ErrHoldsKeyRead) {
			t.Errorf("%s: Decode = %v", name, err)
		}
	}
}

// A key where the schema allows only some values is refused as a key, and the error never
// quotes it: the schema's messages name what they found ("must be one of ..., not X"), and
// the gate and provision log them.
func TestDecodeErrorNeverQuotesAKey(t *testing.T) {
	k, _ := keys.New("test")
	data, err := sample(t).Encode()
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"plain":   k,
		"escaped": strings.Replace(k, "_", `\u005f`, 1),
	} {
		bad := strings.Replace(string(data), `"status": "active"`, `"status": "`+in+`"`, 1)
		if bad == string(data) {
			t.Fatal("the sample has no active key")
		}
		_, err := Decode([]byte(bad))
		if !errors.Is(err, ErrHoldsKeyRead) || strings.Contains(err.Error(), k) {
			t.Errorf("%s: Decode = %v", name, err)
		}
	}
}
