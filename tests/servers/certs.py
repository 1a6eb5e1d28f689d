"""Self-signed certificates for the test servers (Dovecot, aiosmtpd)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import NamedTuple


class CertError(RuntimeError):
    """openssl could not make the certificate."""


class Cert(NamedTuple):
    """A self-signed certificate valid for localhost and 127.0.0.1, and its key."""

    cert_path: Path
    key_path: Path


def make_cert(directory: Path) -> Cert:
    """Create ``cert.pem``/``key.pem`` in ``directory`` with openssl (EC: milliseconds)."""
    directory.mkdir(parents=True, exist_ok=True)
    cert = Cert(directory / "cert.pem", directory / "key.pem")
    out = subprocess.run(
        [
            "openssl", "req", "-x509", "-nodes", "-days", "2",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", str(cert.key_path), "-out", str(cert.cert_path),
            "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if out.returncode != 0:
        raise CertError(f"openssl req failed: {out.stderr.strip()}")
    return cert
