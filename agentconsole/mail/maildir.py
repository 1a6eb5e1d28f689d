"""Delivering outgoing mail into a local Maildir (the demo's and offline shops' transport).

The file name is derived from the Message-ID, so delivering the same reply twice leaves one copy.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def deliver(maildir: Path, message_id: str, raw: bytes) -> Path:
    """Write ``raw`` into ``maildir/new`` atomically (tmp, fsync, rename). Idempotent."""
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(message_id.encode()).hexdigest()[:32] + ".agentconsole"
    target = maildir / "new" / name
    if target.exists() or (maildir / "cur" / f"{name}:2,").exists():
        return target
    tmp = maildir / "tmp" / name
    with open(tmp, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
