# Shared shell helpers for ops/ scripts. Source it; do not run it.
# Works as root (CI: PostgreSQL runs as the `postgres` user) and as an ordinary user.

STELE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf 'stele-ops: %s\n' "$*" >&2; }
die() { printf 'stele-ops: error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command with root rights: directly as root, through sudo otherwise.
as_root() {
  if is_root; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi
}

# Install Debian packages that are missing (one apt-get update per script run).
ensure_apt() {
  local missing=() pkg
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if [ -z "${_STELE_APT_UPDATED:-}" ]; then as_root apt-get update -qq >/dev/null; _STELE_APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# PostgreSQL 15 binaries (initdb, pg_ctl) on PATH, installing the server if needed.
ensure_postgres() {
  if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && ! command -v initdb >/dev/null; then
    ensure_apt postgresql-15
  fi
  [ -d /usr/lib/postgresql/15/bin ] && export PATH="/usr/lib/postgresql/15/bin:$PATH"
  command -v initdb >/dev/null || die "PostgreSQL 15 (initdb) not found after install"
}

ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null || ensure_apt nodejs npm
}

ensure_dotnet() {
  command -v dotnet >/dev/null || die ".NET SDK 10 not found: install it (https://dot.net) and retry"
}

# A free TCP port on 127.0.0.1.
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
  else
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
  fi
}

# Run a command as the PostgreSQL server's owner: `postgres` when we are root, ourselves otherwise.
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

# pg_start DIR PORT [extra server options...]: init (once) and start a cluster in DIR/data,
# socket in DIR/sock, log in DIR/server.log. Reuses a running cluster.
pg_start() {
  local dir=$1 port=$2; shift 2
  ensure_postgres
  mkdir -p "$dir/sock"
  if is_root; then chown -R postgres: "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg initdb -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed in $dir/data"; }
  fi
  if as_pg pg_ctl -D "$dir/data" status >/dev/null 2>&1; then return 0; fi
  as_pg pg_ctl -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock $*" start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; die "PostgreSQL failed to start (log: $dir/server.log)"; }
}

pg_stop() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_pg pg_ctl -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}

# A directory the postgres user can reach: as root, a checkout under /root is not traversable
# by `postgres`, so fall back to a per-checkout directory under /var/tmp.
pg_home_for() {
  local wanted=$1
  mkdir -p "$wanted"
  if ! is_root || runuser -u postgres -- test -x "$wanted" 2>/dev/null; then
    echo "$wanted"; return
  fi
  local alt="/var/tmp/stele-pg-$(printf '%s' "$wanted" | sha256sum | cut -c1-12)"
  mkdir -p "$alt"; echo "$alt"
}
