"""Run a command against a throwaway PostgreSQL cluster: the web suite's PostgreSQL pass.

    python scripts/with_postgres.py COMMAND [ARGS...]

Starts a cluster in a fresh temporary folder, listening only on a unix socket there (no TCP),
with durability off for speed; runs COMMAND with MOVIEREC_TEST_DATABASE_URL naming an empty
database on it (the test settings read it; pass it to anything else as a DATABASE_URL); then
stops the cluster and deletes the folder, also after a failure, Ctrl-C or SIGTERM. Exits with
COMMAND's status.

Where PostgreSQL cannot be found or started, it says so and exits 0 (the pass is skipped), except
under CI=true, where it exits 1: a gate that silently skips is no gate.
"""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import quote

ROLE = "movierec"
"""The cluster's superuser and its empty database (the tests' own is test_movierec)."""
SERVER_SETTINGS = {
    # Unix socket only: nothing else on the machine can reach it over TCP, and no port to clash.
    "listen_addresses": "''",
    # A cluster deleted at the end needs no durability; these make writes several times faster.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}


class Unavailable(Exception):
    """PostgreSQL cannot be found or started here; the message says why and what to do."""


@dataclass(frozen=True)
class Cluster:
    bin_dir: Path
    """Where initdb, pg_ctl and postgres are."""
    owner: pwd.struct_passwd
    """The unprivileged account the server runs as (initdb refuses root)."""
    folder: Path
    """The temporary folder: the data directory, the socket and the server log."""

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def url(self) -> str:
        # libpq's form for a socket directory: the path as the `host` parameter, case intact.
        return f"postgresql://{ROLE}@/{ROLE}?host={quote(str(self.folder), safe='/')}"


def find_bin_dir() -> Path:
    """initdb's folder: on PATH, else Debian's versioned folder (newest first), which the
    postgresql package does not put on PATH."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version, reverse=True)
    if debian:
        return Path(debian[0]).parent
    raise Unavailable("initdb not found (install PostgreSQL: apt-get install postgresql)")


def _version(initdb: str) -> int:
    name = Path(initdb).parents[1].name
    return int(name) if name.isdigit() else 0


def find_owner() -> pwd.struct_passwd:
    """Ourselves when unprivileged; as root, Debian's `postgres` account, else `nobody`."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise Unavailable("running as root and neither a `postgres` nor a `nobody` account exists")


def as_owner(cluster: Cluster, command: list[str], **options: object) -> None:
    """Run a cluster command as its owner; a failure becomes Unavailable with its output."""
    become = {}
    if os.geteuid() == 0:
        become = {"user": cluster.owner.pw_uid, "group": cluster.owner.pw_gid, "extra_groups": []}
    result = subprocess.run(
        command, cwd=cluster.folder, capture_output=True, text=True, **become, **options
    )
    if result.returncode != 0:
        log = cluster.log.read_text() if cluster.log.is_file() else ""
        raise Unavailable(f"{Path(command[0]).name} failed:\n{result.stdout}{result.stderr}{log}")


def start(cluster: Cluster) -> None:
    os.chown(cluster.folder, cluster.owner.pw_uid, cluster.owner.pw_gid)
    # The folder holds the socket: others (root's test process aside) need no way in.
    cluster.folder.chmod(0o700)
    initdb = [str(cluster.bin_dir / "initdb"), "-D", str(cluster.data), "-U", ROLE]
    as_owner(cluster, [*initdb, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
    settings = [f"-c {name}={value}" for name, value in SERVER_SETTINGS.items()]
    server_options = " ".join([f"-k {cluster.folder}", *settings])
    pg_ctl = [str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.data), "-l", str(cluster.log)]
    # A session of its own: a Ctrl-C at the terminal reaches the tests, which then still have a
    # server to tear their database down on, rather than the server too.
    as_owner(
        cluster, [*pg_ctl, "-o", server_options, "-w", "-t", "60", "start"], start_new_session=True
    )
    # The URL's database, empty: the tests make their own beside it, a benchmark can use it.
    createdb = [str(cluster.bin_dir / "createdb"), "-h", str(cluster.folder), "-U", ROLE, ROLE]
    as_owner(cluster, createdb)


def stop(cluster: Cluster) -> None:
    if (cluster.data / "postmaster.pid").is_file():
        pg_ctl = [str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.data), "-w"]
        try:
            as_owner(cluster, [*pg_ctl, "-m", "immediate", "stop"])
        except Unavailable as error:
            print(f"with_postgres: {error}", file=sys.stderr)
    shutil.rmtree(cluster.folder, ignore_errors=True)


def unavailable(reason: str) -> int:
    if os.environ.get("CI") == "true":
        print(f"with_postgres: PostgreSQL pass FAILED: {reason}", file=sys.stderr)
        return 1
    print(f"with_postgres: PostgreSQL pass skipped: {reason}", file=sys.stderr)
    return 0


def leave_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # SystemExit unwinds through main's `finally`, so the cluster is stopped and deleted.
    raise SystemExit(128 + signum)


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import psycopg  # noqa: F401  (only whether Django's PostgreSQL driver is there)
    except ImportError:
        return unavailable("psycopg is not installed (pip install '.[postgres]')")
    try:
        cluster = Cluster(find_bin_dir(), find_owner(), Path(tempfile.mkdtemp(prefix="mr-pg-")))
    except Unavailable as error:
        return unavailable(str(error))
    signal.signal(signal.SIGTERM, leave_on_sigterm)
    try:
        try:
            start(cluster)
        except Unavailable as error:
            return unavailable(str(error))
        print(f"with_postgres: PostgreSQL ({cluster.bin_dir}) on {cluster.folder}", flush=True)
        tests = subprocess.Popen(
            command, env={**os.environ, "MOVIEREC_TEST_DATABASE_URL": cluster.url}
        )
        try:
            return tests.wait()
        except KeyboardInterrupt:
            # The tests got the same Ctrl-C: let them finish tearing down on a live server.
            return tests.wait()
        finally:
            # Reached still running only on SIGTERM or a second Ctrl-C: the tests go first.
            if tests.poll() is None:
                tests.terminate()
                tests.wait()
    finally:
        stop(cluster)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
