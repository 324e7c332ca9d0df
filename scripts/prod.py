"""The production stack on one machine, on loopback: `make prod` / `make prod-stop`.

    python scripts/prod.py start | stop | status | env

Starts, each with its PID kept in the run folder (`.prod/`, or PROD_DIR):
  - PostgreSQL: a private instance (initdb on first start, data in .prod/postgresql) on
    PROD_PORT+2, or the server in PROD_DATABASE_URL (e.g. the machine's own) when set;
  - Redis (private, no persistence) on PROD_PORT+3: the shared cache;
  - with PROD_STORAGE=s3, an S3-compatible store (moto_server) on PROD_PORT+4 and a bucket;
  - gunicorn (PROD_WEB_WORKERS × PROD_WEB_THREADS, gthread) on PROD_PORT+1;
  - PROD_TASK_WORKERS (2) `manage.py db_worker` processes;
  - nginx on PROD_PORT (default 8080), from scripts/prod/nginx.conf.template: static files
    (gzip, and brotli when Debian's module is installed), the README's /media/ allowlist,
    panorama tiles through X-Accel-Redirect, the upload limits.
Before gunicorn: migrate and collectstatic (PROD_DEMO=1 also loads the demo district). It
waits for /readyz through nginx. `stop` ends each process by the PID it kept, in reverse order.
The app's settings (production) are written to .prod/env, readable by systemd's
EnvironmentFile, so `set -a; . .prod/env; set +a` gives a shell the same environment.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "scripts" / "prod" / "nginx.conf.template"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
NGINX_MODULES = Path("/usr/lib/nginx/modules")
BROTLI_TYPES = "text/css application/javascript image/svg+xml application/json text/plain"
# What each PID file's process must be (a word of its command line): a PID reused by another
# program after a crash is never signalled.
EXPECTED = {
    "nginx": "nginx",
    "gunicorn": "gunicorn",
    "worker-1": "db_worker",
    "worker-2": "db_worker",
    "moto": "moto",
    "redis": "redis-server",
    "postgresql": "postgres",
}


def run_dir() -> Path:
    return Path(os.environ.get("PROD_DIR", ROOT / ".prod")).resolve()


def say(text: str) -> None:
    sys.stdout.write(f"[prod] {text}\n")
    sys.stdout.flush()


# --- configuration -----------------------------------------------------------------------


def ports() -> dict[str, int]:
    base = int(os.environ.get("PROD_PORT", "8080"))
    return {
        "nginx": base,
        "app": base + 1,
        "postgresql": base + 2,
        "redis": base + 3,
        "s3": base + 4,
    }


def secret_key(run: Path) -> str:
    path = run / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def app_env(run: Path, state: dict) -> dict[str, str]:
    """The production settings' environment (see .env.example), for loopback over HTTP."""
    port = state["ports"]["nginx"]
    base = f"http://localhost:{port}"
    env = {
        "DJANGO_SETTINGS_MODULE": "heritage_site.settings.production",
        "SECRET_KEY": secret_key(run),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"{base},http://127.0.0.1:{port}",
        "DATABASE_URL": state["database_url"],
        "REDIS_URL": f"redis://127.0.0.1:{state['ports']['redis']}/0",
        "MEDIA_ROOT": str(run / "media"),
        "STATIC_ROOT": str(run / "static"),
        "FILE_UPLOAD_TEMP_DIR": str(run / "tmp"),
        "PUBLIC_BASE_URL": base,
        "WAGTAILADMIN_BASE_URL": base,
        "PLAQUE_BASE_URL": os.environ.get("PLAQUE_BASE_URL", base),
        # A loopback address is no plaque's address: printed only with the admin's warning,
        # unless PLAQUE_BASE_URL names the public host.
        "PLAQUE_ALLOW_UNSAFE_HOST": "false" if "PLAQUE_BASE_URL" in os.environ else "true",
        "PANORAMA_TILES_INTERNAL_URL": "/_protected/panorama-tiles/",
        "LOGIN_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        "FEEDBACK_CLIENT_IP_HEADER": "HTTP_X_REAL_IP",
        # Plain HTTP on loopback: no redirect to HTTPS, no HSTS for localhost.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "JOB_LEASE_SECONDS": os.environ.get("JOB_LEASE_SECONDS", "300"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
    if state.get("storage") == "s3":
        env.update(
            MEDIA_STORAGE="s3",
            AWS_STORAGE_BUCKET_NAME="di-san-so-media",
            AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{state['ports']['s3']}",
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local-only",
            AWS_S3_REGION_NAME="us-east-1",
        )
    return env


def render_nginx(run: Path, port: int, app_port: int, media_root: Path, static_root: Path) -> str:
    """The nginx configuration for these folders and ports, from the template."""
    modules = [
        f"load_module {NGINX_MODULES / name};"
        for name in ("ngx_http_brotli_filter_module.so", "ngx_http_brotli_static_module.so")
        if (NGINX_MODULES / name).exists()
    ]
    brotli = (
        f"brotli_static on;\n            brotli on;\n            brotli_types {BROTLI_TYPES};"
        if len(modules) == 2
        else "# brotli: Debian's libnginx-mod-http-brotli-* are not installed"
    )
    user = "user nobody nogroup;" if os.geteuid() == 0 else "# (not root: workers run as you)"
    values = {
        "LOAD_MODULES": "\n".join(modules),
        "USER": user,
        "RUN": str(run),
        "PORT": str(port),
        "APP_PORT": str(app_port),
        "MEDIA_ROOT": str(media_root),
        "MEDIA_PARENT": str(media_root.parent),
        "STATIC_ROOT": str(static_root),
        "BROTLI": brotli,
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


# --- processes ---------------------------------------------------------------------------


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int | None, word: str) -> bool:
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text().split()
    return word in cmdline and stat[2] != "Z"


def pid_file(run: Path, name: str) -> Path:
    if name == "postgresql":
        return run / "postgresql" / "data" / "postmaster.pid"
    return run / f"{name}.pid"


def running(run: Path, name: str) -> int | None:
    pid = read_pid(pid_file(run, name))
    return pid if alive(pid, EXPECTED[name]) else None


def stop_one(run: Path, name: str, sig: int = signal.SIGTERM, wait: float = 30.0) -> None:
    pid = running(run, name)
    if pid is None:
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and alive(pid, EXPECTED[name]):
        time.sleep(0.1)
    if alive(pid, EXPECTED[name]):
        say(f"{name} (PID {pid}) did not stop in {wait:g} s: SIGKILL")
        os.kill(pid, signal.SIGKILL)
    say(f"stopped {name} (PID {pid})")
    if name != "postgresql":
        pid_file(run, name).unlink(missing_ok=True)


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgresql(run: Path, port: int) -> str:
    folder = run / "postgresql"
    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        say("initdb: a private PostgreSQL cluster in " + str(data))
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if running(run, "postgresql") is None:
        log = run / "logs" / "postgresql.log"
        log.touch()
        if os.geteuid() == 0:
            shutil.chown(log, "postgres", "postgres")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c max_connections=200"
        subprocess.run(
            as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    psql = [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qAt"]
    exists = subprocess.run(
        [*psql, "-c", "SELECT 1 FROM pg_database WHERE datname = 'heritage'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*psql, "-c", "CREATE DATABASE heritage"], check=True)
    say(f"PostgreSQL (private) on 127.0.0.1:{port}, PID {running(run, 'postgresql')}")
    return f"postgres://postgres@127.0.0.1:{port}/heritage"


def start_redis(run: Path, port: int) -> None:
    if running(run, "redis") is None:
        (run / "redis").mkdir(exist_ok=True)
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--daemonize",
                "yes",
                "--pidfile",
                str(run / "redis.pid"),
                "--dir",
                str(run / "redis"),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(run / "logs" / "redis.log"),
                "--maxmemory",
                os.environ.get("PROD_REDIS_MAXMEMORY", "256mb"),
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            check=True,
        )
        wait_for(lambda: running(run, "redis"), "Redis")
    say(f"Redis on 127.0.0.1:{port}, PID {running(run, 'redis')}")


def start_moto(run: Path, port: int, env: dict[str, str]) -> None:
    server = shutil.which("moto_server")
    if server is None:
        sys.exit("PROD_STORAGE=s3 needs moto_server (pip install 'moto[server]').")
    if running(run, "moto") is None:
        spawn(run, "moto", [server, "-H", "127.0.0.1", "-p", str(port)], env=None)
        wait_for(lambda: http_status(f"http://127.0.0.1:{port}/") is not None, "moto_server")
    bucket = env["AWS_STORAGE_BUCKET_NAME"]
    request = urllib.request.Request(f"http://127.0.0.1:{port}/{bucket}", method="PUT")
    try:
        urllib.request.urlopen(request, timeout=5).close()
    except urllib.error.HTTPError as error:  # 409: the bucket is there already
        if error.code != 409:
            raise
    say(f"S3-compatible store (moto_server) on 127.0.0.1:{port}, bucket {bucket}")


def spawn(run: Path, name: str, command: list[str], env: dict[str, str] | None) -> int:
    """A detached process whose output goes to .prod/logs/<name>.log and PID to <name>.pid."""
    log = open(run / "logs" / f"{name}.log", "ab")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    (run / f"{name}.pid").write_text(f"{process.pid}\n")
    return process.pid


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_for(check, what: str, seconds: float = 90.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    sys.exit(f"[prod] {what} did not come up within {seconds:g} s (see {run_dir()}/logs/)")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_workers(run: Path, env: dict[str, str]) -> None:
    count = int(os.environ.get("PROD_TASK_WORKERS", "2"))
    for n in range(1, count + 1):
        name = f"worker-{n}"
        EXPECTED.setdefault(name, "db_worker")
        if running(run, name) is None:
            spawn(
                run,
                name,
                [sys.executable, "manage.py", "db_worker", "--no-reload", "--queue-name", "*"],
                env,
            )
        pid = running(run, name) or read_pid(run / f"{name}.pid")
        say(f"task worker {n} (db_worker), PID {pid}")


def start_gunicorn(run: Path, env: dict[str, str], port: int) -> None:
    if running(run, "gunicorn") is None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "heritage_site.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                os.environ.get("PROD_WEB_WORKERS", "2"),
                "--worker-class",
                "gthread",
                "--threads",
                os.environ.get("PROD_WEB_THREADS", "4"),
                "--keep-alive",
                "5",
                "--timeout",
                "300",
                "--graceful-timeout",
                "30",
                "--daemon",
                "--pid",
                str(run / "gunicorn.pid"),
                "--error-logfile",
                str(run / "logs" / "gunicorn.log"),
                "--capture-output",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        wait_for(lambda: running(run, "gunicorn"), "gunicorn")
    say(f"gunicorn on 127.0.0.1:{port}, PID {running(run, 'gunicorn')}")


def start_nginx(run: Path, state: dict, env: dict[str, str]) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    conf = run / "nginx" / "nginx.conf"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / "nginx" / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(run / "nginx" / sub, "nobody", "nogroup")
    conf.write_text(
        render_nginx(
            run,
            state["ports"]["nginx"],
            state["ports"]["app"],
            Path(env["MEDIA_ROOT"]),
            Path(env["STATIC_ROOT"]),
        )
    )
    command = [
        nginx,
        "-p",
        str(run / "nginx"),
        "-c",
        str(conf),
        "-e",
        str(run / "logs" / "nginx-error.log"),
    ]
    subprocess.run([*command, "-t", "-q"], check=True)
    if running(run, "nginx") is None:
        subprocess.run(command, check=True)
        wait_for(lambda: running(run, "nginx"), "nginx")
    else:
        subprocess.run([*command, "-s", "reload"], check=True)
    say(f"nginx on http://127.0.0.1:{state['ports']['nginx']}/, PID {running(run, 'nginx')}")


def write_env(run: Path, env: dict[str, str]) -> None:
    lines = [f"{key}={value}" for key, value in env.items()]
    path = run / "env"
    path.write_text(
        "# Made by scripts/prod.py; systemd EnvironmentFile format.\n" + "\n".join(lines) + "\n"
    )
    path.chmod(0o600)


def start() -> int:
    run = run_dir()
    for sub in ("logs", "media", "static", "tmp"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    state = {
        "ports": ports(),
        "storage": os.environ.get("PROD_STORAGE", "local"),
        "database": "external" if os.environ.get("PROD_DATABASE_URL") else "private",
    }
    if state["database"] == "external":
        state["database_url"] = os.environ["PROD_DATABASE_URL"]
        say("PostgreSQL: PROD_DATABASE_URL (not started or stopped here)")
    else:
        state["database_url"] = start_postgresql(run, state["ports"]["postgresql"])
    (run / "state.json").write_text(json.dumps(state, indent=2))
    start_redis(run, state["ports"]["redis"])
    env = app_env(run, state)
    if state["storage"] == "s3":
        start_moto(run, state["ports"]["s3"], env)
    write_env(run, env)
    full_env = {**os.environ, **env}
    manage(full_env, "migrate", "--noinput", "-v", "0")
    manage(full_env, "collectstatic", "--noinput", "-v", "0")
    if os.environ.get("PROD_DEMO") == "1":
        manage(full_env, "load_demo_district")
    start_gunicorn(run, full_env, state["ports"]["app"])
    start_workers(run, full_env)
    start_nginx(run, state, env)
    url = f"http://127.0.0.1:{state['ports']['nginx']}"
    wait_for(lambda: http_status(url + "/readyz") == 200, "/readyz")
    say(
        f"ready: {url}/ (admin: http://localhost:{state['ports']['nginx']}/admin/); "
        f"logs in {run}/logs/; `make prod-stop` ends it"
    )
    return 0


def stop() -> int:
    run = run_dir()
    names = ["nginx", "gunicorn"]
    names += sorted(p.stem for p in run.glob("worker-*.pid"))
    names += ["moto", "redis", "postgresql"]
    for name in names:
        EXPECTED.setdefault(name, "db_worker")
        if name == "nginx":
            stop_one(run, name, signal.SIGQUIT)
        elif name == "postgresql":
            stop_one(run, name, signal.SIGINT, wait=60)  # fast shutdown
        else:
            stop_one(run, name)
    return 0


def status() -> int:
    run = run_dir()
    down = 0
    for name in EXPECTED:
        pid = running(run, name)
        if pid is None and not pid_file(run, name).exists():
            continue
        sys.stdout.write(f"{name:<11} {'PID ' + str(pid) if pid else 'not running'}\n")
        down += pid is None
    return 1 if down else 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "start"
    actions = {"start": start, "stop": stop, "status": status}
    if action not in actions:
        sys.exit(f"usage: {sys.argv[0]} start|stop|status")
    sys.exit(actions[action]())
