// Command gen writes the demo sample data set (internal/demo/sample.json).
// It is deterministic: running it again yields the same bytes.
//
//	go run ./internal/demo/gen > internal/demo/sample.json
//	go run ./internal/demo/gen -o internal/demo/sample.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/engineering-kpis/engineering-kpis/internal/demo/sample"
)

func main() {
	out := flag.String("o", "", "write to `file` instead of standard output")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	data, err := sample.JSON()
	if err != nil {
		return err
	}
	if out == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(out, data, 0o644)
}
