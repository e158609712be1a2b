// Answers, with Go's own go/build, whether Go files build for the image platforms: the reference
// that go-source.go-parity.spec.ts checks the plugin's reading of constraints against.
//
// Reads JSON values {"name": "a_linux.go", "content": "//go:build linux\n\npackage a\n"} on stdin and
// writes one JSON array per value: for linux/amd64 then linux/arm64 with CGO_ENABLED=0, then both with
// CGO_ENABLED=1 (no -tags, the default microarchitecture levels), "true", "false", or "error" when Go
// refuses the file.
package main

import (
	"bufio"
	"encoding/json"
	"go/build"
	"io"
	"os"
	"strings"
)

func main() {
	in := json.NewDecoder(bufio.NewReader(os.Stdin))
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for {
		var file struct{ Name, Content string }
		if err := in.Decode(&file); err == io.EOF {
			return
		} else if err != nil {
			panic(err)
		}
		answers := []string{}
		for _, arch := range []struct {
			goarch, level string
			cgo           bool
		}{{"amd64", "amd64.v1", false}, {"arm64", "arm64.v8.0", false}, {"amd64", "amd64.v1", true}, {"arm64", "arm64.v8.0", true}} {
			ctxt := build.Default
			ctxt.GOOS, ctxt.GOARCH, ctxt.CgoEnabled = "linux", arch.goarch, arch.cgo
			ctxt.BuildTags, ctxt.ToolTags = nil, []string{arch.level}
			ctxt.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(file.Content)), nil }
			match, err := ctxt.MatchFile("/src", file.Name)
			switch {
			case err != nil:
				answers = append(answers, "error")
			case match:
				answers = append(answers, "true")
			default:
				answers = append(answers, "false")
			}
		}
		line, _ := json.Marshal(answers)
		out.Write(append(line, '\n'))
	}
}
