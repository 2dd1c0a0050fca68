package replica

import "testing"

func TestWALPositionsReadAndWriteAsPostgreSQLShowsThem(t *testing.T) {
	for text, want := range map[string]uint64{"0/0": 0, "0/16B3748": 0x16B3748, "16/B374D848": 0x16_B374D848, "FFFFFFFF/FFFFFFFF": ^uint64(0)} {
		got, err := ParseLSN(text)
		if err != nil || got != want {
			t.Errorf("ParseLSN(%q) = %x, %v; want %x", text, got, err, want)
		}
		if back := FormatLSN(got); back != text {
			t.Errorf("FormatLSN(%x) = %q, want %q", got, back, text)
		}
	}
	for _, bad := range []string{"16B3748", "0/", "/1", "x/1", "1/2/3", "100000000/0", "-1/0"} {
		if _, err := ParseLSN(bad); err == nil {
			t.Errorf("ParseLSN(%q) accepted", bad)
		}
	}
}
