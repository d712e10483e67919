package decoders

import (
	"encoding/json"
	"testing"

	"github.com/bytedance/sonic"
	gojson "github.com/goccy/go-json"
)

var page100 = benchPageJSON(0, 100, 1000, func(n int) benchPost { return benchPostFixture(n, true) })

func BenchmarkDecode(b *testing.B) {
	decs := []struct {
		name string
		f    func([]byte, any) error
	}{
		{"encoding-json", json.Unmarshal},
		{"goccy", gojson.Unmarshal},
		{"goccy-nocopy", func(d []byte, v any) error { return gojson.UnmarshalNoEscape(d, v) }},
		{"sonic-std", sonic.ConfigStd.Unmarshal},
	}
	for _, d := range decs {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(page100)))
			for i := 0; i < b.N; i++ {
				var p benchPage
				if err := d.f(page100, &p); err != nil || len(p.Items) != 100 {
					b.Fatal(err)
				}
			}
		})
	}
}
