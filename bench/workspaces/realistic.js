/**
 * The realistic workspace: 8 Go apps (standard library only) and 6 Node apps built by Nx
 * (workspaces/nx-node.js: made with create-nx-workspace and Nx's generators, with real, small
 * registry dependencies) in one repository, sharing libraries. Also writes the naive baseline (one
 * Dockerfile per app, as a person writes them by hand) and the library changes of the
 * incremental measurement.
 */
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { IMAGES } = require('../lib/prepare');
const { writeFiles } = require('./files');
const { run } = require('../lib/exec');
const { NODE_APPS, generateNodeWorkspace, naiveNodeDockerfile, nodeClosure, projectName } = require('./nx-node');

const GO_MODULE = 'example.com/benchshop';
/**
 * The modules the Go half requires, as a typical service does: a router, a logger, a database driver.
 * With what they require, go.mod lists 12 modules (9 indirect) and go.sum 46 lines.
 */
const GO_REQUIREMENTS = ['github.com/go-chi/chi/v5@v5.2.3', 'github.com/rs/zerolog@v1.33.0', 'github.com/jackc/pgx/v5@v5.7.2'];

/** The host's go (every machine of this project has one: ../shared/ENVIRONMENT.md). */
function hostGo() {
  const candidates = [...(process.env.PATH ?? '').split(':').map((dir) => join(dir, 'go')), '/usr/local/go/bin/go'];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('no Go toolchain on this machine (looked on the PATH and in /usr/local/go/bin); the bench workspace needs one for go mod tidy: install it');
  return found;
}

// ---------------------------------------------------------------- Go -------------------------------------------

const GO_LIBS = {
  config: {
    imports: ['os', 'strconv', 'strings'],
    code: `// Package config reads service settings from the environment.
package config

import (
	"os"
	"strconv"
	"strings"
)

// Config is what every service reads at start-up.
type Config struct {
	Name  string
	Port  int
	Env   string
	Debug bool
}

// Load reads the settings of service name, with defaults.
func Load(name string) Config {
	return Config{Name: name, Port: Int("PORT", 8080), Env: String("APP_ENV", "production"), Debug: Bool("DEBUG")}
}

// String returns the variable's value, or def when it is unset.
func String(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// Int returns the variable as an int, or def when it is unset or not a number.
func Int(key string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return n
	}
	return def
}

// Bool is true for 1, true, yes and on.
func Bool(key string) bool {
	switch strings.ToLower(os.Getenv(key)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}
`,
  },
  logx: {
    imports: ['os', 'github.com/rs/zerolog'],
    code: `// Package logx writes one JSON object per log line (zerolog underneath).
package logx

import (
	"os"

	"github.com/rs/zerolog"
)

// Logger writes structured lines for one service.
type Logger struct{ z zerolog.Logger }

// New returns a logger for service that writes to stdout.
func New(service string) *Logger {
	zerolog.TimeFieldFormat = zerolog.TimeFormatUnixMs
	return &Logger{z: zerolog.New(os.Stdout).With().Timestamp().Str("service", service).Logger()}
}

// Info logs msg with key/value pairs.
func (l *Logger) Info(msg string, kv ...any) { l.z.Info().Fields(kv).Msg(msg) }

// Error logs msg with key/value pairs.
func (l *Logger) Error(msg string, kv ...any) { l.z.Error().Fields(kv).Msg(msg) }
`,
  },
  httpx: {
    imports: ['encoding/json', 'net/http', 'time', 'github.com/go-chi/chi/v5', 'github.com/go-chi/chi/v5/middleware', `${GO_MODULE}/internal/logx`],
    code: `// Package httpx holds the HTTP plumbing every service shares.
package httpx

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"${GO_MODULE}/internal/logx"
)

// Router returns a chi router with the shared middleware and the health route.
func Router(log *logx.Logger) chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.Recoverer, func(next http.Handler) http.Handler { return Logged(log, next) })
	r.Get("/healthz", Health)
	return r
}

// JSON writes v with the given status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Health answers liveness probes.
func Health(w http.ResponseWriter, _ *http.Request) { JSON(w, http.StatusOK, map[string]string{"status": "ok"}) }

// Logged logs every request with its duration.
func Logged(log *logx.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "ms", time.Since(start).Milliseconds())
	})
}

// Server returns an http.Server with sane timeouts.
func Server(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
}
`,
  },
  money: {
    imports: ['fmt', 'math', 'strconv', 'strings'],
    code: `// Package money handles amounts in cents.
package money

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Cents is an amount of money in the smallest unit.
type Cents int64

// Parse reads "12.34" into 1234 cents.
func Parse(s string) (Cents, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("money: %q: %w", s, err)
	}
	return Cents(math.Round(f * 100)), nil
}

// String formats c as "12.34".
func (c Cents) String() string { return fmt.Sprintf("%d.%02d", c/100, c%100) }

// Percent returns p percent of c, rounded half away from zero.
func (c Cents) Percent(p float64) Cents { return Cents(math.Round(float64(c) * p / 100)) }
`,
  },
  store: {
    imports: ['sort', 'sync'],
    code: `// Package store is a small in-memory, concurrency-safe key/value store.
package store

import (
	"sort"
	"sync"
)

// Store maps string keys to values of V.
type Store[V any] struct {
	mu    sync.RWMutex
	items map[string]V
}

// New returns an empty store.
func New[V any]() *Store[V] { return &Store[V]{items: map[string]V{}} }

// Put stores v under key.
func (s *Store[V]) Put(key string, v V) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[key] = v
}

// Get returns the value under key.
func (s *Store[V]) Get(key string) (V, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.items[key]
	return v, ok
}

// Keys returns the keys, sorted.
func (s *Store[V]) Keys() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.items))
	for k := range s.items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
`,
  },
  queue: {
    imports: ['context', 'sync', 'time', `${GO_MODULE}/internal/logx`],
    code: `// Package queue runs jobs from an in-process queue with a few workers.
package queue

import (
	"context"
	"sync"
	"time"

	"${GO_MODULE}/internal/logx"
)

// Job is one unit of work.
type Job func(ctx context.Context) error

// Run starts n workers that take jobs until ctx ends or jobs is closed.
func Run(ctx context.Context, log *logx.Logger, n int, jobs <-chan Job) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(worker int) {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case job, ok := <-jobs:
					if !ok {
						return
					}
					start := time.Now()
					if err := job(ctx); err != nil {
						log.Error("job failed", "worker", worker, "err", err.Error())
					}
					log.Info("job done", "worker", worker, "ms", time.Since(start).Milliseconds())
				}
			}
		}(i)
	}
	wg.Wait()
}
`,
  },
};

/** The 8 Go apps: four HTTP services, two workers, two command-line tools. */
const GO_APPS = {
  gateway: {
    libs: ['config', 'httpx', 'logx'],
    code: `package main

import (
	"net/http/httputil"
	"net/url"

	"${GO_MODULE}/internal/config"
	"${GO_MODULE}/internal/httpx"
	"${GO_MODULE}/internal/logx"
)

func main() {
	cfg := config.Load("gateway")
	log := logx.New(cfg.Name)
	// The shared chi router: middleware, /healthz, and each upstream under its prefix.
	mux := httpx.Router(log)
	for prefix, upstream := range map[string]string{"/orders/": "http://orders:8080", "/payments/": "http://payments:8080", "/inventory/": "http://inventory:8080"} {
		target, err := url.Parse(config.String("UPSTREAM_"+prefix[1:len(prefix)-1], upstream))
		if err != nil {
			log.Error("bad upstream", "prefix", prefix, "err", err.Error())
			continue
		}
		mux.Handle(prefix+"*", httputil.NewSingleHostReverseProxy(target))
	}
	log.Info("listening", "port", cfg.Port)
	if err := httpx.Server(":"+config.String("PORT", "8080"), mux).ListenAndServe(); err != nil {
		log.Error("server stopped", "err", err.Error())
	}
}
`,
  },
  orders: {
    libs: ['config', 'httpx', 'logx', 'money', 'store'],
    code: `package main

import (
	"encoding/json"
	"net/http"

	"${GO_MODULE}/internal/config"
	"${GO_MODULE}/internal/httpx"
	"${GO_MODULE}/internal/logx"
	"${GO_MODULE}/internal/money"
	"${GO_MODULE}/internal/store"
)

type order struct {
	ID    string      \`json:"id"\`
	Total money.Cents \`json:"total"\`
}

func main() {
	cfg := config.Load("orders")
	log := logx.New(cfg.Name)
	orders := store.New[order]()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", httpx.Health)
	mux.HandleFunc("/orders/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var o order
			if err := json.NewDecoder(r.Body).Decode(&o); err != nil {
				httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
			orders.Put(o.ID, o)
			httpx.JSON(w, http.StatusCreated, o)
			return
		}
		httpx.JSON(w, http.StatusOK, orders.Keys())
	})
	if err := httpx.Server(":8080", httpx.Logged(log, mux)).ListenAndServe(); err != nil {
		log.Error("server stopped", "err", err.Error())
	}
}
`,
  },
  payments: {
    libs: ['config', 'httpx', 'logx', 'money'],
    code: `package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"

	"${GO_MODULE}/internal/config"
	"${GO_MODULE}/internal/httpx"
	"${GO_MODULE}/internal/logx"
	"${GO_MODULE}/internal/money"
)

func main() {
	cfg := config.Load("payments")
	log := logx.New(cfg.Name)
	fee := config.Int("FEE_PERCENT", 3)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", httpx.Health)
	mux.HandleFunc("/payments/charge", func(w http.ResponseWriter, r *http.Request) {
		amount, err := money.Parse(r.URL.Query().Get("amount"))
		if err != nil {
			httpx.JSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		sum := sha256.Sum256([]byte(r.URL.Query().Get("card")))
		httpx.JSON(w, http.StatusOK, map[string]string{"charged": amount.String(), "fee": amount.Percent(float64(fee)).String(), "card": hex.EncodeToString(sum[:4])})
	})
	if err := httpx.Server(":8080", httpx.Logged(log, mux)).ListenAndServe(); err != nil {
		log.Error("server stopped", "err", err.Error())
	}
}
`,
  },
  inventory: {
    libs: ['config', 'httpx', 'logx', 'store'],
    code: `package main

import (
	"net/http"
	"strconv"

	"${GO_MODULE}/internal/config"
	"${GO_MODULE}/internal/httpx"
	"${GO_MODULE}/internal/logx"
	"${GO_MODULE}/internal/store"
)

func main() {
	cfg := config.Load("inventory")
	log := logx.New(cfg.Name)
	stock := store.New[int]()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", httpx.Health)
	mux.HandleFunc("/inventory/", func(w http.ResponseWriter, r *http.Request) {
		sku := r.URL.Path[len("/inventory/"):]
		if n, err := strconv.Atoi(r.URL.Query().Get("set")); err == nil {
			stock.Put(sku, n)
		}
		n, _ := stock.Get(sku)
		httpx.JSON(w, http.StatusOK, map[string]int{sku: n})
	})
	if err := httpx.Server(":8080", httpx.Logged(log, mux)).ListenAndServe(); err != nil {
		log.Error("server stopped", "err", err.Error())
	}
}
`,
  },
  notifier: {
    libs: ['config', 'logx', 'queue'],
    code: `package main

import (
	"context"
	"fmt"
	"net/smtp"
	"os/signal"
	"syscall"

	"${GO_MODULE}/internal/config"
	"${GO_MODULE}/internal/logx"
	"${GO_MODULE}/internal/queue"
)

func main() {
	cfg := config.Load("notifier")
	log := logx.New(cfg.Name)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	jobs := make(chan queue.Job, 16)
	host := config.String("SMTP_HOST", "localhost:25")
	jobs <- func(ctx context.Context) error {
		if !config.Bool("SEND") {
			return nil
		}
		return smtp.SendMail(host, nil, "shop@example.com", []string{"ops@example.com"}, []byte(fmt.Sprintf("Subject: %s up\\r\\n\\r\\nok\\r\\n", cfg.Name)))
	}
	close(jobs)
	queue.Run(ctx, log, 2, jobs)
}
`,
  },
  scheduler: {
    libs: ['logx', 'queue'],
    code: `package main

import (
	"context"
	"os/signal"
	"syscall"
	"time"

	"${GO_MODULE}/internal/logx"
	"${GO_MODULE}/internal/queue"
)

func main() {
	log := logx.New("scheduler")
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	jobs := make(chan queue.Job)
	go func() {
		defer close(jobs)
		ticker := time.NewTicker(time.Minute)
		defer ticker.Stop()
		for i := 0; i < 3; i++ {
			select {
			case <-ctx.Done():
				return
			case jobs <- func(context.Context) error { log.Info("tick"); return nil }:
			}
			<-ticker.C
		}
	}()
	queue.Run(ctx, log, 1, jobs)
}
`,
  },
  reporter: {
    libs: ['money', 'store'],
    code: `package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"

	"${GO_MODULE}/internal/money"
	"${GO_MODULE}/internal/store"
)

func main() {
	in := flag.String("in", "", "CSV of sku,amount")
	flag.Parse()
	totals := store.New[money.Cents]()
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, row := range rows {
			if len(row) < 2 {
				continue
			}
			amount, err := money.Parse(row[1])
			if err != nil {
				continue
			}
			sum, _ := totals.Get(row[0])
			totals.Put(row[0], sum+amount)
		}
	}
	w := csv.NewWriter(os.Stdout)
	for _, sku := range totals.Keys() {
		sum, _ := totals.Get(sku)
		_ = w.Write([]string{sku, sum.String()})
	}
	w.Flush()
}
`,
  },
  migrator: {
    libs: ['config', 'logx'],
    code: `package main

import (
	"database/sql"
	"flag"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"${GO_MODULE}/internal/config"
	"${GO_MODULE}/internal/logx"
)

var migrations = []string{
	"CREATE TABLE orders (id TEXT PRIMARY KEY, total INTEGER NOT NULL)",
	"CREATE TABLE stock (sku TEXT PRIMARY KEY, count INTEGER NOT NULL)",
}

func main() {
	dryRun := flag.Bool("dry-run", true, "print the migrations instead of running them")
	flag.Parse()
	log := logx.New("migrator")
	if *dryRun {
		for i, m := range migrations {
			log.Info("migration", "step", i+1, "sql", m)
		}
		return
	}
	db, err := sql.Open(config.String("DB_DRIVER", "pgx"), config.String("DATABASE_URL", ""))
	if err != nil {
		log.Error("open", "err", err.Error())
		os.Exit(1)
	}
	defer db.Close()
	for _, m := range migrations {
		if _, err := db.Exec(m); err != nil {
			log.Error("migrate", "err", err.Error())
			os.Exit(1)
		}
	}
}
`,
  },
};

/** One self-contained Dockerfile per Go app, in the usual hand-written form (no cache mounts, no shared stages). */
function naiveGoDockerfile(app) {
  return `# Naive baseline for ${app}: one self-contained Dockerfile, written by hand.
FROM ${IMAGES.goImage} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY internal/ internal/
COPY services/${app}/ services/${app}/
RUN CGO_ENABLED=0 go build -ldflags="-s -w" -o /out/${app} ./services/${app}

FROM ${IMAGES.goRuntimeImage}
COPY --from=build /out/${app} /usr/local/bin/${app}
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/${app}"]
`;
}


/** Nx's own cached no-op, for the no-op comparison: the same projects, a target that does nothing. */
const NOOP_TARGET = { 'bench-noop': { executor: 'nx:run-commands', options: { command: 'true' }, cache: true } };

/** The Go half's files and every app's naive Dockerfile. */
function goAndNaiveFiles() {
  const files = { 'go.mod': `module ${GO_MODULE}\n\ngo 1.19\n` };
  for (const [lib, spec] of Object.entries(GO_LIBS)) files[`internal/${lib}/${lib}.go`] = spec.code;
  for (const [app, spec] of Object.entries(GO_APPS)) {
    files[`services/${app}/main.go`] = spec.code;
    files[`services/${app}/project.json`] = JSON.stringify({ name: app, targets: NOOP_TARGET }, null, 2) + '\n';
    files[`naive/${app}.Dockerfile`] = naiveGoDockerfile(app);
  }
  for (const app of Object.keys(NODE_APPS)) files[`naive/${app}.Dockerfile`] = naiveNodeDockerfile(app);
  return files;
}

/** Adds `entries` to the JSON file (top-level keys merged one level deep). */
function mergeJson(file, entries) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(entries)) json[key] = value && typeof value === 'object' && !Array.isArray(value) ? { ...json[key], ...value } : value;
  writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
}

/**
 * The realistic workspace at `root` (which must not exist), before the nx-docker-stages setup
 * generator runs: the Node half from Nx's tools, installed; the Go half and the naive files
 * written; every app given the bench's no-op target. `nxJson` is merged into nx.json.
 */
async function createRealisticWorkspace(root, nxJson) {
  await generateNodeWorkspace(root);
  writeFiles(root, goAndNaiveFiles());
  // Go itself adds the requirements and go.sum, as a developer does (pinned versions; the rest as go mod tidy resolves them).
  const goEnv = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOWORK: 'off' };
  await run(hostGo(), ['get', ...GO_REQUIREMENTS], { cwd: root, env: goEnv });
  await run(hostGo(), ['mod', 'tidy'], { cwd: root, env: goEnv });
  for (const app of Object.keys(NODE_APPS)) {
    const file = join(root, 'apps', app, 'package.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.nx = { ...manifest.nx, targets: { ...manifest.nx?.targets, ...NOOP_TARGET } };
    writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
  }
  // The bench's own Nx installation (with the plugins compared) lives in .nx/installation.
  writeFileSync(join(root, '.gitignore'), readFileSync(join(root, '.gitignore'), 'utf8') + '\n.nx/installation\n');
  mergeJson(join(root, 'nx.json'), nxJson);
}

/** Every app: its Nx project, where it lives, and its naive Dockerfile and tag. */
function realisticApps(naivePrefix) {
  return [
    ...Object.keys(GO_APPS).map((app) => ({ app, project: app, kind: 'go', dir: `services/${app}`, naiveDockerfile: `naive/${app}.Dockerfile`, naiveTag: `${naivePrefix}/${app}:latest` })),
    ...Object.entries(NODE_APPS).map(([app, spec]) => ({
      app,
      project: projectName(app),
      kind: 'node',
      dir: `apps/${app}`,
      naiveDockerfile: `naive/${app}.Dockerfile`,
      naiveTag: `${naivePrefix}/${app}:latest`,
      runtimeLibs: nodeClosure(app).map((l) => `libs/${l}`),
      bundler: spec.bundler,
    })),
  ];
}

/**
 * The incremental changes, applied one after the other: a shared Go library
 * (imported by the four HTTP services), then a shared Node library (used by
 * three Node apps). Each edits code, as a real change does.
 */
const CHANGES = [
  {
    id: 'go-lib',
    description: 'internal/httpx (Go library of 4 of the 8 Go apps) changes',
    file: 'internal/httpx/httpx.go',
    edit: (text) => text.replace('w.Header().Set("Content-Type", "application/json")', 'w.Header().Set("Content-Type", "application/json; charset=utf-8")\n\tw.Header().Set("Cache-Control", "no-store")'),
    affected: Object.entries(GO_APPS).filter(([, s]) => s.libs.includes('httpx')).map(([a]) => a).sort(),
  },
  {
    id: 'node-lib',
    description: 'libs/validation (Node library of 3 of the 6 Node apps) changes',
    file: 'libs/validation/src/index.ts',
    edit: (text) => text.replace('`${f} is required`', '`${f} is required (bench change)`'),
    affected: Object.entries(NODE_APPS).filter(([, s]) => s.libs.includes('validation')).map(([a]) => projectName(a)).sort(),
  },
];

module.exports = { createRealisticWorkspace, realisticApps, CHANGES, GO_APPS };
