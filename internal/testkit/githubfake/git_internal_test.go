package githubfake

import "testing"

// The ids are git's: `git hash-object`, and `git write-tree` of the same
// files give these.
func TestObjectIDs(t *testing.T) {
	cases := []struct {
		name, got, exp string
	}{
		{"blob", blobSHA([]byte("hello\n")), "ce013625030ba8dba906f756967f9e9ca394464a"},
		{"empty tree", treeSHA(map[string]string{}, ""), "4b825dc642cb6eb9a060e54bf8d69288fbee4904"},
		// "a-b" < "a.txt" < "a/" in git's order.
		{"nested tree", treeSHA(map[string]string{
			"a.txt": blobSHA([]byte("a\n")), "a/b.txt": blobSHA([]byte("b\n")),
			"a-b": blobSHA([]byte("x")), "z/y/x": blobSHA(nil),
		}, ""), "1185babb7886200a0b744de90029911fc7d4b4c1"},
	}
	for _, tc := range cases {
		if tc.got != tc.exp {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.exp)
		}
	}
}

func TestWrap64(t *testing.T) {
	data := make([]byte, 100) // 136 base64 characters: 60 + 60 + 16
	got := wrap64(data)
	if len(got) != 136+3 || got[60] != '\n' || got[121] != '\n' || got[len(got)-1] != '\n' {
		t.Errorf("wrap64 = %q", got)
	}
	if wrap64(nil) != "" {
		t.Errorf("wrap64(nil) = %q, want empty", wrap64(nil))
	}
}
