// Command rexvet-ferretdb runs FerretDB 1.24 (MongoDB wire protocol) on SQLite or PostgreSQL for local development
// and tests.
//
// It embeds the github.com/FerretDB/FerretDB/ferretdb package instead of building upstream's cmd/ferretdb, because
// that command panics when built from the module (its generated build/version/version.txt is not in the module).
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "", "directory for the SQLite databases (required)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	handler := flag.String("handler", "sqlite", "backend: sqlite (files in -data-dir) or postgresql (-postgresql-url)")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL URL for -handler=postgresql")
	flag.Parse()

	if *dataDir == "" {
		log.Fatal("-data-dir is required")
	}
	if *handler != "sqlite" && *handler != "postgresql" {
		log.Fatalf("bad -handler %q: sqlite or postgresql", *handler)
	}
	if *handler == "postgresql" && *postgresURL == "" {
		log.Fatal("-handler=postgresql needs -postgresql-url")
	}
	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		log.Fatal(err)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	// The SQLite handler wants a directory URI ending in a slash.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listen},
		Logger:        logger,
		Handler:       *handler,
		SQLiteURL:     "file:" + abs + "/",
		PostgreSQLURL: *postgresURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	logger.Warn("rexvet-ferretdb listening", "addr", *listen, "data", abs)
	if err := f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
