package mining

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"testing"
)

// countsOf counts a small corpus of two repositories.
func countsOf(t *testing.T) *Counts {
	t.Helper()
	docs := []Document{
		{Repo: "a/one", Path: "Dockerfile", Src: []byte("FROM alpine:3.20\nRUN apk add --no-cache curl\n")},
		{Repo: "b/two", Path: "Dockerfile", Src: []byte("FROM alpine:3.20\nENV V=1\nRUN apk add git\n")},
	}
	c, err := Count(context.Background(), FromDocuments(docs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCountsRoundTripKeepsDockerfiles(t *testing.T) {
	c := countsOf(t)
	var first bytes.Buffer
	if _, err := c.WriteTo(&first); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCounts(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if _, err := back.WriteTo(&second); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Error("counts written, read and written again differ")
	}

	// b/two never satisfies a pattern of apk add that a/one does, so its
	// occurrence is kept in the antecedent's sample.
	want := "FROM alpine:3.20\nENV V=1\nRUN apk add git\n"
	found := false
	for _, a := range back.antes {
		for _, e := range a.sample {
			found = found || e.ex.doc == want
		}
	}
	if !found {
		t.Errorf("no example kept the Dockerfile cut from b/two, %q", want)
	}
}

func TestReadCountsUnknownDockerfile(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"version":1,"examples":true,"stats":{"digest":"0000000000000000"},"repos":["a/one"]}` + "\n"))
	zw.Write([]byte(`{"a":"cmd apk add","c":"flag --no-cache","t":[{"i":1},{"i":1}],"sat":[{"h":"01","m":"02","f":"a/one/Dockerfile","l":2,"x":"RUN apk add","d":"ffffffffffffffff"}]}` + "\n"))
	zw.Close()

	_, err := ReadCounts(&buf)
	if err == nil || !strings.Contains(err.Error(), "unknown Dockerfile") {
		t.Errorf("error %v, want one about an unknown Dockerfile", err)
	}
}
