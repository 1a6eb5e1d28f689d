"""Knowledge-base files: Markdown with a YAML front matter, read and written.

Why files: a shop keeps its answers in a folder it can edit with any editor, review and keep
in git; the store only indexes them. Why this shape (``---`` YAML ``---`` then the text): it
is what static-site tools and Obsidian use, so the files read well everywhere.

    ---
    id: where-is-my-order
    title: Wo ist meine Bestellung?
    language: de
    category: shipping
    tags: [tracking, shipping]
    key: alt+w
    ask:
      item:
        question: Welcher Artikel fehlt?
        choices: order.items
    ---
    Hallo {{ customer.first_name | default("zusammen") }}, …
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentconsole.services.records import Prompt

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
HOTKEY = re.compile(r"^((ctrl|alt|shift|meta)\+)*([a-z0-9_]+|f[0-9]{1,2})$")
ASK_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,39}$")
CHOICE_SOURCES = ("order.items",)
"""Where a prompt's choices may come from instead of a fixed list."""

_KNOWN = {"id", "title", "language", "category", "tags", "key", "ask"}


class KbFileError(ValueError):
    """A file that cannot be used; the message is one line naming the problem."""


@dataclass(frozen=True)
class KbDocument:
    """One template or article in one language, as its file says."""

    id: str
    title: str
    language: str
    body: str
    category: str = ""
    tags: tuple[str, ...] = ()
    hotkey: str = ""
    asks: tuple[Prompt, ...] = ()
    body_line: int = field(default=1, compare=False)
    """The file line the body starts on (template errors name file lines)."""


def file_name(doc_id: str, language: str) -> str:
    return f"{doc_id}.{language}.md"


def _names_from(filename: str) -> tuple[str, str | None]:
    stem = filename.removesuffix(".md")
    head, dot, tail = stem.rpartition(".")
    if dot and LANGUAGE.match(tail):
        return head, tail
    return stem, None


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise KbFileError("tags: expected a list, e.g. [shipping, tracking]")
    return tuple(dict.fromkeys(str(t).strip() for t in value if str(t).strip()))


def _asks(value: Any) -> tuple[Prompt, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise KbFileError("ask: expected names with a question, e.g. item: Which item?")
    out: list[Prompt] = []
    for name, spec in value.items():
        name = str(name)
        if not ASK_NAME.match(name):
            raise KbFileError(f"ask: {name!r} is not a usable name (letters, digits, _)")
        if isinstance(spec, str):
            out.append(Prompt(name, spec.strip()))
            continue
        if not isinstance(spec, dict):
            raise KbFileError(f"ask.{name}: expected a question or question/choices")
        question = str(spec.get("question") or name).strip()
        choices = spec.get("choices")
        if choices is None:
            out.append(Prompt(name, question))
        elif isinstance(choices, str):
            if choices not in CHOICE_SOURCES:
                raise KbFileError(
                    f"ask.{name}.choices: expected a list or {' or '.join(CHOICE_SOURCES)}"
                )
            out.append(Prompt(name, question, choices_from=choices))
        elif isinstance(choices, list) and choices:
            out.append(Prompt(name, question, tuple(str(c) for c in choices)))
        else:
            raise KbFileError(f"ask.{name}.choices: expected a non-empty list")
    return tuple(out)


def parse(text: str, filename: str, default_language: str = "en") -> KbDocument:
    """The document in ``text``; ``filename`` gives the id and language the front matter omits.

    Raises ``KbFileError`` with one line (and a line number where there is one).
    """
    import yaml  # here, not at the top: only reading or writing a file needs it

    text = text.replace("\r\n", "\n").removeprefix("\ufeff")
    file_id, file_language = _names_from(filename)
    meta: Any = {}
    body = text
    body_line = 1
    if text.startswith("---\n"):
        end = text.find("\n---", 3)
        if end < 0 or text[end + 4 : end + 5] not in ("\n", ""):
            raise KbFileError("the front matter opened with --- is never closed with ---")
        try:
            meta = yaml.safe_load(text[4:end]) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 2}: " if mark is not None else ""
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise KbFileError(f"front matter {where}{problem}") from None
        body = text[end + 5 :]
        body_line = text[: end + 5].count("\n") + 1
        if body.startswith("\n"):
            body = body[1:]
            body_line += 1
    if not isinstance(meta, dict):
        raise KbFileError("front matter: expected fields such as title: and language:")
    unknown = sorted(str(k) for k in meta if k not in _KNOWN)
    if unknown:
        raise KbFileError(f"front matter: unknown field {unknown[0]!r}")
    doc_id = str(meta.get("id") or file_id).strip()
    if not ID.match(doc_id):
        raise KbFileError(f"id {doc_id!r}: use lowercase letters, digits and -")
    language = str(meta.get("language") or file_language or default_language).strip().lower()
    if not LANGUAGE.match(language):
        raise KbFileError(f"language {language!r}: expected a code such as en, de, fr")
    title = str(meta.get("title") or "").strip() or doc_id.replace("-", " ").capitalize()
    hotkey = str(meta.get("key") or "").strip().lower()
    if hotkey and not HOTKEY.match(hotkey):
        raise KbFileError(f"key {hotkey!r}: expected a key such as alt+w or f5")
    if not body.strip():
        raise KbFileError("the text after the front matter is empty")
    return KbDocument(
        id=doc_id,
        title=" ".join(title.split()),
        language=language,
        body=body.rstrip("\n") + "\n",
        category=str(meta.get("category") or "").strip(),
        tags=_tags(meta.get("tags")),
        hotkey=hotkey,
        asks=_asks(meta.get("ask")),
        body_line=body_line,
    )


def read(path: Path, default_language: str = "en") -> KbDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KbFileError("not UTF-8 text") from None
    except OSError as exc:
        raise KbFileError(exc.strerror or "cannot be read") from None
    return parse(text, path.name, default_language)


def dump(doc: KbDocument) -> str:
    """The file text for ``doc``, fields in a fixed order (stable diffs in git)."""
    import yaml

    meta: dict[str, Any] = {"id": doc.id, "title": doc.title, "language": doc.language}
    if doc.category:
        meta["category"] = doc.category
    if doc.tags:
        meta["tags"] = list(doc.tags)
    if doc.hotkey:
        meta["key"] = doc.hotkey
    if doc.asks:
        meta["ask"] = {
            a.name: (
                {"question": a.question, "choices": a.choices_from or list(a.choices)}
                if a.choices or a.choices_from
                else a.question
            )
            for a in doc.asks
        }
    head = "".join(
        yaml.safe_dump(
            {key: value},
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=None if isinstance(value, list) else False,
            width=100,
        )
        for key, value in meta.items()
    )
    return f"---\n{head}---\n{doc.body.rstrip(chr(10))}\n"


_GREETINGS = {
    "en": ("Hi", "there", "Best wishes,"),
    "de": ("Hallo", "zusammen", "Viele Grüße"),
    "fr": ("Bonjour", "à vous", "Bien cordialement,"),
    "it": ("Buongiorno", "a Lei", "Cordiali saluti,"),
    "es": ("Hola", "buenos días", "Un saludo,"),
    "pl": ("Dzień dobry", "", "Pozdrawiamy serdecznie,"),
    "nl": ("Hallo", "daar", "Met vriendelijke groet,"),
}


def skeleton(doc_id: str, language: str, title: str = "") -> str:
    """A new file's text: the fields to fill and a body showing the common variables, with a
    greeting and sign-off in the file's language where we know them."""
    hello, fallback, bye = _GREETINGS.get(language, _GREETINGS["en"])
    greeting = (
        f'{hello} {{{{ customer.first_name | default("{fallback}") }}}},'
        if fallback
        else f"{hello},"
    )
    doc = KbDocument(
        id=doc_id,
        title=title or doc_id.replace("-", " ").capitalize(),
        language=language,
        body=f"{greeting}\n\n…\n\n{bye}\n{{{{ agent.name }}}}\n{{{{ shop.name }}}}\n",
        category="",
        tags=(),
    )
    return dump(doc)
