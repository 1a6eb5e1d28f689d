"""TLS settings shared by the IMAP sync and SMTP sending: one place decides what is trusted."""

from __future__ import annotations

import ssl

from agentconsole.config import AccountConfig


def ssl_context_for(account: AccountConfig) -> ssl.SSLContext:
    """Verified TLS by default; an extra CA when configured; verification off only if asked."""
    context = ssl.create_default_context(
        cafile=str(account.tls_ca_file.expanduser()) if account.tls_ca_file else None
    )
    if not account.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
