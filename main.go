// Command engineering-kpis computes engineering KPIs from GitHub: as a
// GitHub Action (Docker container action) or as a command line tool.
package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/engineering-kpis/engineering-kpis/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := cli.Main(ctx, cli.Env{
		Args:    os.Args[1:],
		Getenv:  os.Getenv,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Now:     time.Now,
		Version: version,
	})
	if err != nil {
		if !errors.Is(err, cli.ErrUsage) {
			cli.PrintError(os.Stdout, os.Stderr, os.Getenv, err)
		}
		stop()
		os.Exit(1)
	}
}
