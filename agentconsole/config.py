"""config.toml → validated settings.

Why this shape: a shop owner edits the file by hand, so every problem must come back as one
line naming the file, the key, the line and what is expected (``ConfigError``), never a
traceback. Unknown keys are errors so a typo cannot silently do nothing. Secrets never live in
the file: an account names a ``password_command`` or a ``password_env`` and the secret is
fetched only when a connection needs it.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agentconsole.config_triage import Macro, SavedView, SlaSection, TeamMember

APP_NAME = "agentconsole"
CONFIG_ENV = "AGENTCONSOLE_CONFIG"
STORE_FILENAME = "store.db"


class ConfigError(Exception):
    """A config problem a user can fix; ``str()`` is a single line, or one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SecretSource(_Section):
    """Where a secret comes from: a command that prints it, or an environment variable."""

    password_command: str | None = None
    """Command whose first output line is the secret, e.g. ``pass show shop/imap``."""
    password_env: str | None = None
    """Name of an environment variable holding the secret."""

    @model_validator(mode="after")
    def _one_source(self) -> SecretSource:
        if self.password_command and self.password_env:
            raise ValueError("set password_command or password_env, not both")
        return self

    def resolve(self, what: str) -> str:
        """Fetch the secret now. Raises ``ConfigError`` with one line when it cannot."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if not value:
                raise ConfigError([f"{what}: environment variable {self.password_env} is not set"])
            return value
        if self.password_command:
            try:
                done = subprocess.run(  # noqa: S603 - the user's own configured command
                    shlex.split(self.password_command),
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise ConfigError([f"{what}: password_command failed to run ({exc})"]) from None
            if done.returncode != 0 or not done.stdout.strip():
                raise ConfigError(
                    [f"{what}: password_command exited {done.returncode} without a password"]
                )
            return done.stdout.splitlines()[0]
        raise ConfigError([f"{what}: no password_command or password_env configured"])


TlsMode = Literal["implicit", "starttls", "none"]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_PROVIDERS_FILING_SENT = (
    "gmail.com",
    "googlemail.com",
    "office365.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "zoho.com",
    "zoho.eu",
)


class AccountConfig(SecretSource):
    """One shop mailbox: IMAP to read, SMTP to send."""

    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]
    """Short name shown in the console and used in messages, e.g. ``shop``."""
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]
    """The address customers write to; replies are sent from it."""
    username: str | None = None
    """Login name; defaults to ``email``."""
    imap_host: str
    imap_port: int | None = None
    """Defaults to 993 for implicit TLS, 143 otherwise."""
    imap_tls: TlsMode = "implicit"
    smtp_host: str | None = None
    """Defaults to ``imap_host``."""
    smtp_port: int | None = None
    """Defaults to 465 for implicit TLS, 587 for STARTTLS, 25 otherwise."""
    smtp_tls: TlsMode = "implicit"
    tls_verify: bool = True
    """Verify server certificates. Turn off only for a server you control."""
    tls_ca_file: Path | None = None
    """Extra CA certificate (PEM) to trust, e.g. for a self-hosted server's own certificate."""
    folders: list[str] = Field(default_factory=lambda: ["INBOX"])
    """Folders to sync; the Sent folder is found by SPECIAL-USE and added."""
    save_sent: bool | None = None
    """Append a copy of each reply to the Sent folder. Default: yes, except on providers that
    file their own copy (Gmail, Outlook / Microsoft 365, Zoho), where it would show twice."""
    signature: str = ""
    """Added under the agent's signature in replies from this account."""

    @property
    def files_sent_copy(self) -> bool:
        """Whether we append to Sent ourselves (see ``save_sent``)."""
        if self.save_sent is not None:
            return self.save_sent
        host = (self.smtp_host or self.imap_host).lower()
        return not any(host == p or host.endswith("." + p) for p in _PROVIDERS_FILING_SENT)

    @model_validator(mode="after")
    def _checks(self) -> AccountConfig:
        if not (self.password_command or self.password_env):
            raise ValueError("needs password_command or password_env (no passwords in the file)")
        for mode, host, key in (
            (self.imap_tls, self.imap_host, "imap_tls"),
            (self.smtp_tls, self.smtp_host or self.imap_host, "smtp_tls"),
        ):
            if mode == "none" and not _is_loopback(host):
                raise ValueError(f'{key} = "none" is only allowed for a loopback host')
        return self


class StoreConfig(SecretSource):
    """A shop on Shopify or WooCommerce whose orders appear beside conversations."""

    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")]
    platform: Literal["shopify", "woocommerce"]
    url: Annotated[str, Field(pattern=r"^https?://")]
    """The shop's base URL, e.g. ``https://example.myshopify.com``."""
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    api_version: Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")] = "2026-10"
    """Shopify Admin API version (one per quarter)."""
    client_id: str | None = None
    """Shopify: the app's client id, for the client-credentials grant (the secret is then the
    client secret; tokens last 24 hours and are renewed before they expire). Without it the
    secret is an Admin API access token (``shpat_…``)."""
    consumer_key: str | None = None
    """WooCommerce: the REST API consumer key (``ck_…``); the secret is the consumer secret."""
    birthday_metafield: Annotated[str, Field(pattern=r"^[^.\s]+\.[^.\s]+$")] = "facts.birth_date"
    """Shopify: the customer metafield holding the birthday, as ``namespace.key``."""
    tls_verify: bool = True
    """Verify the shop's certificate. Turn off only for a server you control."""
    tls_ca_file: Path | None = None
    """Extra CA certificate (PEM) to trust."""
    order_pattern: str = r"#\s?(\d{3,})"
    """Regular expression finding this shop's order numbers in customers' mail; its first
    group is the number to look up."""

    @field_validator("order_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        import re

        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from None
        if compiled.groups < 1:
            raise ValueError("needs a group around the number, e.g. '#(\\d{4,})'")
        return value

    @model_validator(mode="after")
    def _checks(self) -> StoreConfig:
        if not (self.password_command or self.password_env):
            raise ValueError("needs password_command or password_env (no secrets in the file)")
        if self.platform == "woocommerce" and not self.consumer_key:
            raise ValueError("a WooCommerce store needs consumer_key (ck_…)")
        host = self.url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0].strip("[]")
        if self.url.startswith("http://") and not _is_loopback(host):
            raise ValueError("url must be https:// (http:// only for a loopback host)")
        return self


class StoreSection(_Section):
    home: Path | None = None
    """Directory holding store.db, attachments and outgoing mail. Default: the XDG data dir."""
    attachments_max_mb: Annotated[float, Field(ge=0)] = 10
    """Attachments up to this size are saved under the store home while syncing; larger ones
    are fetched from the server when opened. 0 saves none."""


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "agent"


class AgentSection(_Section):
    name: str = "Agent"
    """Your name as customers see it in replies."""
    handle: str = Field(default_factory=_login_name)
    """Short login name recorded in the event log. Default: your system user name."""
    email: str | None = None
    signature: str = ""
    """Your signature, put under every reply you write (before the account's)."""
    timezone: str = "UTC"
    """IANA zone used to show times, e.g. ``Europe/Berlin``."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (expected e.g. 'Europe/Berlin')"
            ) from None
        return value


class UiSection(_Section):
    theme: str = "textual-dark"
    """Any Textual theme name, e.g. ``textual-dark``, ``nord``, ``gruvbox``."""


class OutgoingSection(_Section):
    transport: Literal["smtp", "maildir"] = "smtp"
    """``smtp`` sends through each account's SMTP server; ``maildir`` files replies locally."""
    maildir: Path | None = None
    """Where ``maildir`` delivers. Default: ``<home>/Maildir``."""
    undo_seconds: Annotated[float, Field(ge=0, le=300)] = 10
    """How long a sent reply waits, so it can be taken back (``u``). 0 sends at once."""


class ShopSection(_Section):
    name: str = ""
    """The shop's name in replies (``{{ shop.name }}``). Default: the first store's name."""
    url: str = ""
    """The shop's web address (``{{ shop.url }}``). Default: the first store's address."""
    return_policy_url: str = ""
    """Link to the return policy (``{{ shop.return_policy_link }}``)."""
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] = "en"
    """The shop's own language: its templates are used when none exists in the customer's."""


class KnowledgeSection(_Section):
    folder: Path | None = None
    """Folder of knowledge-base Markdown files (keep it in git if you like).
    Default: ``<home>/knowledge``."""


class Settings(_Section):
    """Everything the config file can say, with defaults for what it leaves out."""

    store: StoreSection = Field(default_factory=StoreSection)
    agent: AgentSection = Field(default_factory=AgentSection)
    ui: UiSection = Field(default_factory=UiSection)
    outgoing: OutgoingSection = Field(default_factory=OutgoingSection)
    shop: ShopSection = Field(default_factory=ShopSection)
    knowledge: KnowledgeSection = Field(default_factory=KnowledgeSection)
    sla: SlaSection = Field(default_factory=SlaSection)
    keys: dict[str, str] = Field(default_factory=dict)
    """Key overrides: ``action_id = "key"`` (see ``?`` in the console for action ids)."""
    accounts: list[AccountConfig] = Field(default_factory=list)
    stores: list[StoreConfig] = Field(default_factory=list)
    views: list[SavedView] = Field(default_factory=list)
    macros: list[Macro] = Field(default_factory=list)
    team: list[TeamMember] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        for kind, items in (
            ("accounts", self.accounts),
            ("stores", self.stores),
            ("views", self.views),
            ("macros", self.macros),
        ):
            names = [item.name for item in items]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{kind}: duplicate name {dupes[0]!r}")
        handles = [m.handle for m in self.team]
        dupes = sorted({h for h in handles if handles.count(h) > 1})
        if dupes:
            raise ValueError(f"team: duplicate handle {dupes[0]!r}")
        return self

    def as_agent(self, handle: str) -> Settings:
        """The same settings with a ``[[team]]`` member (or the ``[agent]``) at the keyboard:
        several agents can share one config on one server. ``ConfigError`` when unknown."""
        if handle == self.agent.handle:
            return self
        for member in self.team:
            if member.handle == handle:
                agent = self.agent.model_copy(
                    update={"handle": member.handle, "name": member.name, "email": member.email}
                )
                return self.model_copy(update={"agent": agent})
        known = ", ".join([self.agent.handle, *(m.handle for m in self.team)])
        raise ConfigError([f"unknown agent {handle!r} (known: {known}; add a [[team]] entry)"])

    def team_handles(self) -> list[tuple[str, str]]:
        """(handle, name) of everybody who answers on this store, the agent first."""
        people = [(self.agent.handle, self.agent.name)]
        people += [(m.handle, m.name) for m in self.team if m.handle != self.agent.handle]
        return people

    @property
    def home(self) -> Path:
        return (self.store.home or default_home()).expanduser()

    @property
    def store_path(self) -> Path:
        return self.home / STORE_FILENAME

    @property
    def maildir(self) -> Path:
        return (self.outgoing.maildir or self.home / "Maildir").expanduser()

    @property
    def knowledge_folder(self) -> Path:
        return (self.knowledge.folder or self.home / "knowledge").expanduser()


def default_home() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def default_demo_home() -> Path:
    return default_home() / "demo"


def xdg_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


@dataclass(frozen=True)
class ConfigSource:
    """Which file was chosen and why (shown by ``agentconsole config path``)."""

    path: Path
    reason: str
    exists: bool


def locate_config(cli_path: Path | None) -> ConfigSource:
    """Lookup order: ``--config``, then ``$AGENTCONSOLE_CONFIG``, then the XDG config dir."""
    if cli_path is not None:
        return ConfigSource(cli_path, "--config", cli_path.exists())
    env = os.environ.get(CONFIG_ENV)
    if env:
        path = Path(env).expanduser()
        return ConfigSource(path, f"${CONFIG_ENV}", path.exists())
    path = xdg_config_path()
    return ConfigSource(path, "XDG config directory", path.exists())


def load_settings(cli_path: Path | None = None, *, required: bool = False) -> Settings:
    """Find and load the config. A missing file is fine (defaults) unless named explicitly."""
    source = locate_config(cli_path)
    if not source.exists:
        if required or source.reason != "XDG config directory":
            raise ConfigError([f"{source.path}: config file not found (named by {source.reason})"])
        return Settings()
    return parse_settings(source.path)


def parse_settings(path: Path) -> Settings:
    """Read and validate one file; every problem becomes ``file:line: key: expected …``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read ({exc.strerror})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: invalid TOML: {exc}"]) from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([_describe(path, text, err) for err in exc.errors()]) from None


def _describe(path: Path, text: str, err: Any) -> str:
    loc = [str(p) for p in err["loc"] if not str(p).startswith("function-after")]
    key = _dotted(loc)
    line = _line_of(text, loc)
    where = f"{path}:{line}" if line else str(path)
    message = str(err["msg"])
    if err["type"] == "extra_forbidden":
        message = "unknown key"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    elif err["type"] == "missing":
        message = "required key is missing"
    elif err["type"] == "literal_error":
        message = f"expected {err['ctx']['expected']}"
    elif err["type"] == "string_pattern_mismatch":
        message = f"invalid value {err['input']!r}"
    return f"{where}: {key or '(top level)'}: {message}"


def _dotted(loc: list[str]) -> str:
    """``['accounts', '0', 'imap_port']`` → ``accounts[0].imap_port``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def _line_of(text: str, loc: list[str]) -> int | None:
    """Best-effort line number of the last named key in ``loc`` (1-based)."""
    names = [p for p in loc if not p.isdigit()]
    if not names:
        return None
    key = names[-1]
    table = names[0] if len(names) > 1 else None
    in_table = table is None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("["):
            header = line.strip("[]").strip()
            in_table = table is None or header == table
            if table is not None and header == key:
                return number
            continue
        if in_table and re.match(rf"^{re.escape(key)}\s*=", line):
            return number
    return None


STARTER_CONFIG_NOTE = "# Written by `agentconsole init`. Every option: see config.example.toml.\n"
