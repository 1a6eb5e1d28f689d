"""The one deliberately hostile customer, for testing that untrusted text stays inert.

Why: names, subjects and bodies come from strangers. The demo carries Rich markup, a terminal
escape (clear screen), an OSC 52 clipboard write and a bidi override, so every screen and
``--json`` output can be checked against them. Tests import these exact strings.
"""

from __future__ import annotations

HOSTILE_NAME = "Eve [bold red]Hacker[/]"
HOSTILE_EMAIL = "eve@evil.example"
HOSTILE_SUBJECT = "Order [link=https://evil.example]#1234[/link] \x1b[2J broken"
HOSTILE_BODY = (
    "Hi, my parcel [bold red]x[/] never arrived.\n"
    "Proof is here: [link=https://evil.example]click[/link]\n"
    "\x1b[2J"
    "\x1b]52;c;aGVsbG8=\x07"
    "Please refund me to \u202eevil\u202c today.\n"
    "Eve"
)
