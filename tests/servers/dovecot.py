"""A throwaway Dovecot 2.3 IMAP server for tests and benchmarks.

Why a real server: CONDSTORE/QRESYNC, IDLE pushes, SPECIAL-USE, UIDVALIDITY changes and dropped
connections behave as in production only against a real implementation. Recipe and quirks:
/work/shared/reference/imap-smtp.md section 7.

Usage (pytest fixtures in ``tests/servers/fixtures.py``, or from a plain script)::

    with Dovecot() as server:
        server.add_user("alice", "secret")
        uid = server.deliver("alice", make_message(1))
        imaplib.IMAP4(server.host, server.port).login("alice", "secret")

Each instance runs its own ``dovecot -F`` from a short throwaway root under /tmp (Unix socket
paths must stay under ~100 characters), listens on a free 127.0.0.1 port, and removes everything
on ``stop()``. Works as root (login processes as ``dovenull``, mail as uid 65534) and as an
ordinary user (everything under the caller's own uid).
"""

from __future__ import annotations

import contextlib
import grp
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import weakref
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.servers.certs import make_cert

HOST = "127.0.0.1"
NOBODY_UID = 65534
NOBODY_GID = 65534
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
STOP_GRACE_S = 0.2
DOVEADM_TIMEOUT_S = 120.0

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_STATUS_FIELDS = ("uidvalidity", "uidnext", "highestmodseq", "messages")
_EX_NOUSER = 68  # doveadm kick: "no users kicked"


class DovecotError(RuntimeError):
    """A dovecot or doveadm command failed; the message carries its output or the log tail."""


def find_binary(name: str) -> str | None:
    """PATH lookup that also checks the sbin dirs, which are missing from non-root PATHs."""
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def dovecot_available() -> bool:
    """True when both ``dovecot`` and ``doveadm`` are installed (fixtures skip otherwise)."""
    return find_binary("dovecot") is not None and find_binary("doveadm") is not None


def dovecot_version(binary: str | None = None) -> str:
    """The installed version, e.g. ``2.3.19.1``: the config syntax depends on it."""
    binary = binary or find_binary("dovecot")
    if binary is None:
        raise DovecotError("dovecot is not installed (apt-get install dovecot-imapd)")
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    if out.returncode != 0 or not out.stdout.strip():
        raise DovecotError(f"`{binary} --version` failed: {out.stderr.strip()}")
    return out.stdout.split()[0]


def _check_version(version: str) -> None:
    """Only the 2.3 config syntax is written here; 2.4 (Debian 13) is not backwards compatible."""
    parts = version.split(".")
    major_minor = (int(parts[0]), int(parts[1])) if len(parts) >= 2 else (0, 0)
    if major_minor >= (2, 4):
        raise NotImplementedError(
            f"Dovecot {version} found, but tests/servers/dovecot.py only writes the 2.3 config "
            "syntax (Debian 12). 2.4 needs a separate template (dovecot_config_version, "
            "passdb passwd-file { passwd_file_path }, mail_driver/mail_path, "
            "auth_allow_cleartext): see imap-smtp.md section 7."
        )
    if major_minor < (2, 3):
        raise NotImplementedError(f"Dovecot {version} is too old: 2.3 is required")


def free_port() -> int:
    """A port the kernel just handed out on 127.0.0.1 (other Dovecots may hold fixed ports)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _read_greeting(port: int, timeout: float) -> bytes:
    """The first line the server sends; ``* OK`` means the login process is serving."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        data = b""
        while b"\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data


def _cleanup(proc: subprocess.Popen[bytes] | None, root: str) -> None:
    """Last-resort teardown (garbage collection / interpreter exit) if stop() was never called."""
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    if proc is not None:
        _kill_group(proc.pid)
    shutil.rmtree(root, ignore_errors=True)


def _kill_group(pgid: int) -> None:
    """Kill stragglers of the process group started for this master (its own session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


class Dovecot:
    """One private Dovecot instance; use as a context manager or call start()/stop()."""

    def __init__(self, *, tls: bool = False) -> None:
        self.tls = tls
        self.host = HOST
        self.port = 0
        self.tls_port: int | None = None
        self.is_root = os.geteuid() == 0
        self.mail_uid = NOBODY_UID if self.is_root else os.getuid()
        self.mail_gid = NOBODY_GID if self.is_root else os.getgid()
        self._dovecot = find_binary("dovecot")
        self._doveadm = find_binary("doveadm")
        if self._dovecot is None or self._doveadm is None:
            raise DovecotError("dovecot/doveadm not installed (apt-get install dovecot-imapd)")
        self.version = dovecot_version(self._dovecot)
        _check_version(self.version)
        self.root = Path(tempfile.mkdtemp(prefix="dv", dir="/tmp"))
        self.conf_path = self.root / "dovecot.conf"
        self.log_path = self.root / "dovecot.log"
        self.cert_path: Path | None = None
        self.key_path: Path | None = None
        self.users: dict[str, str] = {}
        self._proc: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)
        self._seed_seq = itertools.count(1)
        self._finalizer = weakref.finalize(self, _cleanup, None, str(self.root))

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> Self:
        """Write the config and start the master; returns once both listeners greet."""
        if self._proc is not None:
            raise DovecotError("already started")
        try:
            self._prepare_root()
            if self.tls:
                self._make_cert()
            last_error: DovecotError | None = None
            for _ in range(3):  # a free port can be taken between probe and bind: retry
                self.port = free_port()
                self.tls_port = free_port() if self.tls else None
                self.conf_path.write_text(self._config())
                try:
                    self._spawn_and_wait()
                    return self
                except DovecotError as err:
                    last_error = err
                    self._stop_master()
                    if "Address already in use" not in str(err):
                        raise
            assert last_error is not None
            raise last_error
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the master, wait for its PID to vanish, then delete the root dir (idempotent)."""
        self._stop_master()
        self._finalizer.detach()
        shutil.rmtree(self.root, ignore_errors=True)

    def _stop_master(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            # SIGTERM makes the imap processes say BYE; the master then waits ~1 s for its log
            # process and `doveadm stop` polls for ~3 s. Nothing here needs the last log lines,
            # so give the children a moment and then kill the whole group.
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid)
                proc.wait(STOP_TIMEOUT_S)
        # Reap stragglers so the root dir can go and the PID is really gone.
        _kill_group(proc.pid)

    def _prepare_root(self) -> None:
        for sub in ("run", "lib", "home", "users"):
            (self.root / sub).mkdir(exist_ok=True)
        if self.is_root:
            # mkdtemp makes 0700; dovenull (login), dovecot (auth) and uid 65534 (mail) must
            # traverse it. The passwd files hold throwaway test passwords only.
            for path in (self.root, self.root / "home", self.root / "users"):
                path.chmod(0o755)

    def _make_cert(self) -> None:
        cert = make_cert(self.root)
        self.cert_path, self.key_path = cert.cert_path, cert.key_path

    def _config(self) -> str:
        root = self.root
        if self.is_root:
            # Debian's package creates these; the login process refuses to run as root.
            users = "default_login_user = dovenull\ndefault_internal_user = dovecot\n"
        else:
            try:
                name = pwd.getpwuid(os.getuid()).pw_name
                group = grp.getgrgid(os.getgid()).gr_name
            except KeyError as err:
                raise DovecotError(
                    "running as a uid/gid without a passwd/group entry: Dovecot needs names"
                ) from err
            users = (
                f"default_login_user = {name}\n"
                f"default_internal_user = {name}\n"
                f"default_internal_group = {group}\n"
            )
        if self.tls:
            ssl = f"ssl = yes\nssl_cert = <{self.cert_path}\nssl_key = <{self.key_path}\n"
            imaps = f"address = {HOST}\n    port = {self.tls_port}\n    ssl = yes"
        else:
            ssl = "ssl = no\n"
            imaps = "port = 0"
        # passwd-file: one file per user (path with %u). Dovecot re-reads a passwd file at most
        # once per second, so a user appended to a shared file right after another lookup would
        # be "unknown" for up to a second; a new per-user file is always read fresh.
        return f"""\
# Generated by tests/servers/dovecot.py (Dovecot 2.3 syntax)
base_dir = {root}/run/
state_dir = {root}/lib/
log_path = {self.log_path}
protocols = imap
listen = {HOST}
{ssl}{users}first_valid_uid = {self.mail_uid}
last_valid_uid = {self.mail_uid}
first_valid_gid = {self.mail_gid}
last_valid_gid = {self.mail_gid}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users/%u
}}
userdb {{
  driver = passwd-file
  args = {root}/users/%u
}}
mail_location = maildir:~/Maildir
mail_fsync = never
namespace inbox {{
  inbox = yes
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOST}
    port = {self.port}
  }}
  inet_listener imaps {{
    {imaps}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

    def _spawn_and_wait(self) -> None:
        (self.root / "run" / "anvil-auth-penalty").unlink(missing_ok=True)  # from a failed try
        stderr_path = self.root / "stderr.log"
        with stderr_path.open("wb") as stderr:
            self._proc = subprocess.Popen(
                [str(self._dovecot), "-F", "-c", str(self.conf_path)],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,  # own process group: stop() can reap every child
            )
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _cleanup, self._proc, str(self.root))
        deadline = time.monotonic() + START_TIMEOUT_S
        self._disable_auth_penalty(deadline)
        while True:
            if self._proc.poll() is not None:
                raise DovecotError(
                    f"dovecot exited with {self._proc.returncode} during start:\n{self.log_tail()}"
                )
            try:
                greeting = _read_greeting(self.port, timeout=2.0)
                if greeting.startswith(b"* OK"):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise DovecotError(
                    f"dovecot did not greet within {START_TIMEOUT_S}s:\n{self.log_tail()}"
                )
            time.sleep(0.02)
        if self.tls_port is not None:
            # The master binds every listener before serving; a TCP connect proves the port.
            socket.create_connection((HOST, self.tls_port), timeout=2.0).close()

    def _disable_auth_penalty(self, deadline: float) -> None:
        """Unlink the anvil-auth-penalty socket before the auth process first starts.

        Why: after one failed login from 127.0.0.1, Dovecot 2.3 delays *every* later login
        from that IP by 2-15 s (auth penalty, not configurable). The auth process only starts
        on the first client, connects to this socket once, and disables penalties when it is
        missing (ENOENT is silent). Failed logins still take ~0.5 s (failure flush timer).
        """
        assert self._proc is not None
        sock = self.root / "run" / "anvil-auth-penalty"
        while not sock.exists():
            if self._proc.poll() is not None:
                return  # the caller reports the exit with the log
            if time.monotonic() > deadline:
                raise DovecotError(f"{sock} never appeared:\n{self.log_tail()}")
            time.sleep(0.005)
        sock.unlink()

    def log_tail(self, lines: int = 30) -> str:
        """Last lines of the server log and the master's stderr, for error messages."""
        chunks = []
        for path in (self.root / "stderr.log", self.log_path):
            try:
                text = path.read_text(errors="replace")
            except OSError:
                continue
            if text.strip():
                chunks.append(f"--- {path.name} ---\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(chunks) or "(no log output)"

    @property
    def pid(self) -> int | None:
        """The master's PID while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # -- doveadm -------------------------------------------------------------------------------

    def _run_doveadm(
        self, args: tuple[str, ...], stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        cmd = [str(self._doveadm), "-c", str(self.conf_path), *args]
        return subprocess.run(
            cmd, input=stdin, capture_output=True, timeout=DOVEADM_TIMEOUT_S, check=False
        )

    def doveadm(self, *args: str, stdin: bytes | None = None) -> str:
        """Run ``doveadm -c conf ARGS``; raise DovecotError with its output when it fails."""
        out = self._run_doveadm(args, stdin)
        if out.returncode != 0:
            detail = (out.stderr or out.stdout).decode(errors="replace").strip()
            raise DovecotError(f"doveadm {' '.join(args)} failed (exit {out.returncode}): {detail}")
        return out.stdout.decode(errors="replace")

    def add_user(self, name: str, password: str) -> None:
        """Create a mail user with a Maildir holding INBOX and Sent (SPECIAL-USE \\Sent)."""
        if not _NAME_RE.fullmatch(name):
            raise ValueError(f"user name {name!r} must match {_NAME_RE.pattern}")
        if any(ch in password for ch in ":\r\n") or not password:
            raise ValueError("password must be non-empty without ':' or line breaks")
        if name in self.users:
            raise ValueError(f"user {name!r} already exists")
        home = self.root / "home" / name
        home.mkdir()
        if self.is_root:
            os.chown(home, self.mail_uid, self.mail_gid)
        line = f"{name}:{{PLAIN}}{password}:{self.mail_uid}:{self.mail_gid}::{home}::\n"
        user_file = self.root / "users" / name
        user_file.write_text(line)
        if self.is_root:
            user_file.chmod(0o644)  # read by the auth process running as `dovecot`
        self.users[name] = password
        # Opening a mailbox creates it on disk: INBOX makes ~/Maildir, Sent (auto = subscribe)
        # makes ~/Maildir/.Sent. `mailbox list` alone only shows them; one `status` call naming
        # both mailboxes before INBOX exists prints nothing and creates nothing.
        for mailbox in ("INBOX", "Sent"):
            self.doveadm("mailbox", "status", "-u", name, "messages", mailbox)
            if not (self.maildir(name, mailbox) / "cur").is_dir():
                raise DovecotError(f"{mailbox} of {name} was not created:\n{self.log_tail()}")

    def new_user(self, prefix: str = "user") -> tuple[str, str]:
        """A fresh unique user on this server: (name, password). Lets tests not interfere."""
        n = next(self._names)
        name, password = f"{prefix}{n}", f"pw-{prefix}{n}"
        self.add_user(name, password)
        return name, password

    def deliver(self, user: str, raw: bytes, mailbox: str = "INBOX") -> int:
        """Save one message as another client would (``doveadm save``); return its UID.

        The UID is read back as UIDNEXT-1, exact unless someone else saves to the same mailbox
        at the same moment.
        """
        self.doveadm("save", "-u", user, "-m", mailbox, stdin=raw)
        return self.status(user, mailbox)["uidnext"] - 1

    def flags_add(self, user: str, mailbox: str, uid: int, flag: str) -> None:
        """Set flag(s) (space-separated, e.g. ``\\Flagged``) as another client would."""
        self.doveadm("flags", "add", "-u", user, flag, "mailbox", mailbox, "uid", str(uid))

    def flags_remove(self, user: str, mailbox: str, uid: int, flag: str) -> None:
        """Clear flag(s) as another client would."""
        self.doveadm("flags", "remove", "-u", user, flag, "mailbox", mailbox, "uid", str(uid))

    def expunge(self, user: str, mailbox: str, uid: int) -> None:
        """Expunge one message (QRESYNC clients then see ``VANISHED (EARLIER)``)."""
        self.doveadm("expunge", "-u", user, "mailbox", mailbox, "uid", str(uid))

    def set_uidvalidity(self, user: str, mailbox: str, value: int) -> None:
        """Change UIDVALIDITY: clients must discard their cached UIDs for the folder."""
        self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(value), mailbox)

    def status(self, user: str, mailbox: str = "INBOX") -> dict[str, int]:
        """uidvalidity, uidnext, highestmodseq and messages, as the server sees them now."""
        out = self.doveadm(
            "-f", "tab", "mailbox", "status", "-u", user, " ".join(_STATUS_FIELDS), mailbox
        )
        rows = [line.split("\t") for line in out.splitlines() if line]
        if len(rows) != 2:
            raise DovecotError(f"unexpected doveadm mailbox status output: {out!r}")
        # The tab format adds a leading `mailbox` column and orders fields its own way.
        fields = dict(zip(rows[0], rows[1], strict=True))
        return {key: int(fields[key]) for key in _STATUS_FIELDS}

    def fetch_flags(self, user: str, mailbox: str = "INBOX") -> dict[int, set[str]]:
        """UID -> stored flags of every message in the mailbox.

        ``\\Recent`` is left out: it is per-session state (doveadm, not being an IMAP session,
        reports it on every message no client has seen yet).
        """
        out = self.doveadm("-f", "tab", "fetch", "-u", user, "uid flags", "mailbox", mailbox, "all")
        lines = [line for line in out.splitlines() if line]
        if not lines:
            return {}
        header = lines[0].split("\t")
        if header != ["uid", "flags"]:
            raise DovecotError(f"unexpected doveadm fetch header: {lines[0]!r}")
        result: dict[int, set[str]] = {}
        for line in lines[1:]:
            uid, _, flags = line.partition("\t")
            result[int(uid)] = set(flags.split()) - {"\\Recent"}
        return result

    def kill_connections(self, user: str) -> bool:
        """Drop every IMAP connection of the user (``doveadm kick``), like a server restart.

        Clients get ``* BYE Server shutting down.`` and then EOF. Returns False when the user had
        no connection (doveadm exits 68, "no users kicked", which is not an error here).
        """
        out = self._run_doveadm(("kick", user))
        if out.returncode == _EX_NOUSER:
            return False
        if out.returncode != 0:
            detail = (out.stderr or out.stdout).decode(errors="replace").strip()
            raise DovecotError(f"doveadm kick {user} failed (exit {out.returncode}): {detail}")
        return True

    def maildir(self, user: str, mailbox: str = "INBOX") -> Path:
        """The Maildir++ folder of a mailbox (``.Name`` below ~/Maildir, INBOX at the top)."""
        base = self.root / "home" / user / "Maildir"
        return base if mailbox.upper() == "INBOX" else base / f".{mailbox}"

    def seed_maildir(self, user: str, messages: Iterable[bytes], mailbox: str = "INBOX") -> int:
        """Bulk-write messages straight into ``cur/`` (20k in seconds); return how many.

        Dovecot indexes them on the next SELECT/STATUS. Files go through ``tmp/`` and are renamed
        so a concurrent scan never sees half a message.
        """
        folder = self.maildir(user, mailbox)
        cur, tmp = folder / "cur", folder / "tmp"
        if not cur.is_dir():
            raise DovecotError(f"no Maildir folder for {user}/{mailbox}: create it first")
        chown = self.is_root
        stamp = int(time.time())
        pid = os.getpid()
        count = 0
        for raw in messages:
            seq = next(self._seed_seq)
            base = f"{stamp}.M{seq}P{pid}.seed,S={len(raw)}"
            tmp_file = tmp / base
            with tmp_file.open("xb") as fh:
                fh.write(raw)
                if chown:
                    os.fchown(fh.fileno(), self.mail_uid, self.mail_gid)
            os.rename(tmp_file, cur / f"{base}:2,")
            count += 1
        return count
