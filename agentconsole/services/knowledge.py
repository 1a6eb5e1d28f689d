"""The knowledge base: Markdown files in a folder ↔ the store's index of them.

Why an index at all when the files are the truth: the picker, the suggestions and rendering
must be instant and work for every process on the store; reading a folder of files on each
key press would not be. ``refresh`` is cheap when nothing changed (one ``stat`` per file, the
stamps compared with the index) and is called before every use, so an edit in ``$EDITOR`` or a
``git pull`` shows up at once.

Templates indexed before the folder existed (stores older than the knowledge base) are written
out as files on the first refresh, so nothing a shop wrote is lost.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.services import kb_files
from agentconsole.services.kb_files import KbDocument, KbFileError
from agentconsole.services.records import KnowledgeRefresh, Prompt, TemplateRecord
from agentconsole.store.db import Store
from agentconsole.store.reader import Writer, stored_time

_COLUMNS = "id, key, language, title, body, tags, category, hotkey, asks, path, problems"
_WORD = re.compile(r"\w{3,}", re.UNICODE)


class KnowledgeError(ValueError):
    """A knowledge-base action that cannot be done; one line for the user."""


@dataclass(frozen=True)
class _Indexed:
    id: int
    path: str
    stamp: str


def _stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_mtime_ns}:{st.st_size}"


def _prompts(raw: str) -> tuple[Prompt, ...]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(
        Prompt(i["name"], i["question"], tuple(i.get("choices", ())), i.get("choices_from", ""))
        for i in items
    )


def _prompts_json(prompts: Iterable[Prompt]) -> str:
    return json.dumps(
        [
            {
                "name": p.name,
                "question": p.question,
                "choices": list(p.choices),
                "choices_from": p.choices_from,
            }
            for p in prompts
        ],
        ensure_ascii=False,
    )


def record_from_row(row: object) -> TemplateRecord:
    r = row  # a Reader row: attribute access by column name
    return TemplateRecord(
        id=r.id,  # type: ignore[attr-defined]
        key=r.key,  # type: ignore[attr-defined]
        language=r.language,  # type: ignore[attr-defined]
        title=r.title,  # type: ignore[attr-defined]
        body=r.body,  # type: ignore[attr-defined]
        tags=tuple(t for t in r.tags.split(",") if t),  # type: ignore[attr-defined]
        category=r.category,  # type: ignore[attr-defined]
        hotkey=r.hotkey,  # type: ignore[attr-defined]
        prompts=_prompts(r.asks),  # type: ignore[attr-defined]
        path=r.path,  # type: ignore[attr-defined]
        problems=tuple(p for p in r.problems.split("\n") if p),  # type: ignore[attr-defined]
    )


def document_of(record: TemplateRecord) -> KbDocument:
    return KbDocument(
        id=record.key,
        title=record.title,
        language=record.language,
        body=record.body,
        category=record.category,
        tags=record.tags,
        hotkey=record.hotkey,
        asks=record.prompts,
    )


def _matches(template: TemplateRecord, words: list[str]) -> bool:
    hay = (
        f"{template.key} {template.title} {' '.join(template.tags)} {template.category} "
        f"{template.body}"
    ).casefold()
    return all(w in hay for w in words)


class KnowledgeService:
    def __init__(self, store: Store, clock: Clock, settings: Settings) -> None:
        self._store = store
        self._clock = clock
        self._settings = settings
        self._lock = threading.Lock()  # one refresh at a time per process
        self._suggest_db: sqlite3.Connection | None = None
        self._suggest_version: tuple[int, str] | None = None

    @property
    def folder(self) -> Path:
        return self._settings.knowledge_folder

    @property
    def shop_language(self) -> str:
        return self._settings.shop.language

    # --- files → index -----------------------------------------------------------------

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        found: list[Path] = []
        for root, dirs, names in os.walk(self.folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(Path(root) / n for n in sorted(names) if n.endswith(".md"))
        return found

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def refresh(self) -> KnowledgeRefresh:
        """Bring the index in line with the folder; only changed files are read."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> KnowledgeRefresh:
        with self._store.read() as db:
            rows = db.all("SELECT id, path, stamp FROM reply_template")
        indexed = {r.path: _Indexed(r.id, r.path, r.stamp) for r in rows if r.path}
        orphans = [r.id for r in rows if not r.path]
        files = {self._relative(p): p for p in self._files()}
        stamps: dict[str, str] = {}
        for rel, path in files.items():
            try:
                stamps[rel] = _stamp(path)
            except OSError:
                continue
        changed = [
            rel
            for rel, stamp in stamps.items()
            if rel not in indexed or indexed[rel].stamp != stamp
        ]
        gone = [item for rel, item in indexed.items() if rel not in stamps]
        if not changed and not gone and not orphans:
            return KnowledgeRefresh(0, 0, 0, ())
        parsed: dict[str, KbDocument | str] = {}
        for rel in changed:
            try:
                parsed[rel] = kb_files.read(files[rel], self.shop_language)
            except KbFileError as exc:
                parsed[rel] = str(exc)
        return self._apply(indexed, parsed, stamps, gone, orphans)

    def _apply(
        self,
        indexed: dict[str, _Indexed],
        parsed: dict[str, KbDocument | str],
        stamps: dict[str, str],
        gone: list[_Indexed],
        orphans: list[int],
    ) -> KnowledgeRefresh:
        added = updated = 0
        problems: list[tuple[str, str]] = []
        now = stored_time(self._clock.now())
        with self._store.write() as w:
            # Another console may have indexed the same change since we looked: start again
            # from what the index holds now (writers are serialised, so this is the truth).
            rows = w.all("SELECT id, path, stamp FROM reply_template")
            indexed = {r.path: _Indexed(r.id, r.path, r.stamp) for r in rows if r.path}
            orphans = [r.id for r in rows if not r.path]
            gone = [item for rel, item in indexed.items() if rel not in stamps]
            parsed = {
                rel: doc
                for rel, doc in parsed.items()
                if rel not in indexed or indexed[rel].stamp != stamps[rel]
            }
            for item in gone:
                w.execute("DELETE FROM reply_template WHERE id = :id", {"id": item.id})
            if orphans:
                self._write_out_orphans(w, orphans, stamps)
            for rel, doc in sorted(parsed.items()):
                if isinstance(doc, str):
                    problems.append((rel, doc))
                    if rel in indexed:  # keep the last good version, say what is wrong now
                        w.execute(
                            "UPDATE reply_template SET problems = :p, stamp = :s WHERE id = :id",
                            {"p": doc, "s": stamps[rel], "id": indexed[rel].id},
                        )
                    continue
                owner = w.first(
                    "SELECT id, path FROM reply_template WHERE key = :k AND language = :l",
                    {"k": doc.id, "l": doc.language},
                )
                if owner is not None and owner.path != rel and owner.path in stamps:
                    problems.append(
                        (rel, f"same id and language as {owner.path} ({doc.id}, {doc.language})")
                    )
                    continue
                found = template_problems(doc)
                problems.extend((rel, p) for p in found)
                doc = with_implicit_prompts(doc)
                values = {
                    "k": doc.id,
                    "l": doc.language,
                    "t": doc.title,
                    "b": doc.body,
                    "tags": ",".join(doc.tags),
                    "c": doc.category,
                    "h": doc.hotkey,
                    "a": _prompts_json(doc.asks),
                    "p": rel,
                    "s": stamps[rel],
                    "pr": "\n".join(found),
                    "u": now,
                }
                old = indexed.get(rel)
                target = old.id if old is not None else owner.id if owner is not None else None
                if target is not None:
                    if owner is not None and owner.id != target:  # the id moved to this file
                        w.execute("DELETE FROM reply_template WHERE id = :id", {"id": owner.id})
                    w.execute(
                        "UPDATE reply_template SET key=:k, language=:l, title=:t, body=:b, "
                        "tags=:tags, category=:c, hotkey=:h, asks=:a, path=:p, stamp=:s, "
                        "problems=:pr, updated_at=:u WHERE id = :id",
                        {**values, "id": target},
                    )
                    updated += 1
                else:
                    w.execute(
                        "INSERT INTO reply_template (key, language, title, body, tags, category,"
                        " hotkey, asks, path, stamp, problems, updated_at) VALUES (:k, :l, :t,"
                        " :b, :tags, :c, :h, :a, :p, :s, :pr, :u)",
                        values,
                    )
                    added += 1
        return KnowledgeRefresh(added, updated, len(gone), tuple(problems))

    def _write_out_orphans(self, w: Writer, ids: list[int], stamps: dict[str, str]) -> None:
        """Templates from before the knowledge base had files: each becomes a file."""
        rows = w.all(
            f"SELECT {_COLUMNS} FROM reply_template WHERE id IN ({','.join('?' * len(ids))})",
            ids,  # type: ignore[arg-type]
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        for row in rows:
            record = record_from_row(row)
            rel = kb_files.file_name(record.key, record.language)
            path = self.folder / rel
            if not path.exists():
                path.write_text(kb_files.dump(document_of(record)), encoding="utf-8")
            if rel in stamps:  # a file of that name exists already: the file wins
                w.execute("DELETE FROM reply_template WHERE id = :id", {"id": record.id})
                continue
            stamps[rel] = _stamp(path)
            w.execute(
                "UPDATE reply_template SET path = :p, stamp = :s WHERE id = :id",
                {"p": rel, "s": stamps[rel], "id": record.id},
            )

    # --- reading the index ----------------------------------------------------------------

    def all(self) -> list[TemplateRecord]:
        self.refresh()
        with self._store.read() as db:
            rows = db.all(f"SELECT {_COLUMNS} FROM reply_template ORDER BY key, language")
        return [record_from_row(r) for r in rows]

    def get(self, template_id: int) -> TemplateRecord | None:
        with self._store.read() as db:
            row = db.first(
                f"SELECT {_COLUMNS} FROM reply_template WHERE id = :id", {"id": template_id}
            )
        return record_from_row(row) if row else None

    def languages(self) -> tuple[str, ...]:
        self.refresh()
        with self._store.read() as db:
            return tuple(db.scalars("SELECT DISTINCT language FROM reply_template ORDER BY 1"))

    def translations(self, key: str) -> list[TemplateRecord]:
        with self._store.read() as db:
            rows = db.all(
                f"SELECT {_COLUMNS} FROM reply_template WHERE key = :k ORDER BY language",
                {"k": key},
            )
        return [record_from_row(r) for r in rows]

    def find(self, ref: str, language: str | None = None) -> TemplateRecord:
        """A template by id (``where-is-my-order``), ``id.lang``, file name or row number.

        Without a language: the one asked for, else the shop's, else English, else any.
        """
        self.refresh()
        ref = ref.strip().removesuffix(".md")
        key, dot, lang = ref.rpartition(".")
        if dot and kb_files.LANGUAGE.match(lang):
            ref, language = key, lang
        ref = Path(ref).name
        found = self.translations(ref)
        if not found and ref.isdigit():
            record = self.get(int(ref))
            found = [record] if record else []
        if not found:
            raise KnowledgeError(f"no template {ref!r} (see: agentconsole kb list)")
        return self.pick(found, language)

    def pick(self, translations: list[TemplateRecord], language: str | None) -> TemplateRecord:
        if not translations:
            raise KnowledgeError("that template no longer exists (its file was removed)")
        by_language = {t.language: t for t in translations}
        for lang in (language, self.shop_language, "en"):
            if lang and lang in by_language:
                return by_language[lang]
        return translations[0]

    def templates(self, typed: str = "", language: str | None = None) -> list[TemplateRecord]:
        """Templates whose id, title, tags, category or text contain every typed word.

        The customer's language first, then the shop's; within them, ids that start with the
        typed text.
        """
        words = typed.casefold().split()
        found = [t for t in self.all() if _matches(t, words)]
        first = words[0] if words else ""
        shop = self.shop_language
        found.sort(
            key=lambda t: (
                t.language != language,
                t.language != shop,
                not t.key.startswith(first),
                t.key,
                t.language,
            )
        )
        return found

    # --- suggestions ---------------------------------------------------------------------

    def _suggest_index(self) -> sqlite3.Connection:
        """An in-memory FTS5 index of the templates, rebuilt when the index changes."""
        with self._store.read() as db:
            version = db.one(
                "SELECT count(*) AS n, max(coalesce(updated_at, '')) || "
                "max(id) AS v FROM reply_template"
            )
        stamp = (version.n, str(version.v))
        if self._suggest_db is not None and self._suggest_version == stamp:
            return self._suggest_db
        con = sqlite3.connect(":memory:", check_same_thread=False)
        con.execute(
            "CREATE VIRTUAL TABLE kb USING fts5(title, tags, body, language UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        with self._store.read() as db:
            rows = db.all("SELECT id, title, tags, category, body, language FROM reply_template")
        con.executemany(
            "INSERT INTO kb (rowid, title, tags, body, language) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    r.id,
                    r.title,
                    f"{r.tags.replace(',', ' ')} {r.category}",
                    _plain(r.body),
                    r.language,
                )
                for r in rows
            ],
        )
        if self._suggest_db is not None:
            self._suggest_db.close()
        self._suggest_db, self._suggest_version = con, stamp
        return con

    def suggest(self, text: str, language: str | None, limit: int = 3) -> list[TemplateRecord]:
        """The templates that best match what the customer wrote (FTS5 bm25), one per id,
        each in the conversation's language when it exists.

        Templates written in the customer's language are matched first (their words are the
        customer's words); bm25 weighs words found in most templates ("order", "not") down,
        and longer words match by a crude stem so "retourner" finds "retour".
        """
        from agentconsole.services.language import customer_words

        words = list(dict.fromkeys(w.lower() for w in _WORD.findall(customer_words(text))))
        words = words[:64]
        if not words:
            return []
        self.refresh()
        with self._lock:
            con = self._suggest_index()
            query = " OR ".join(_stem_query(w) for w in words)
            hits = con.execute(
                "SELECT rowid FROM kb WHERE kb MATCH ? ORDER BY language != ?,"
                " bm25(kb, 5.0, 3.0, 1.0) LIMIT 50",
                (query, language or ""),
            ).fetchall()
        chosen: list[TemplateRecord] = []
        seen: set[str] = set()
        for (row_id,) in hits:
            record = self.get(row_id)
            if record is None or record.key in seen:
                continue
            seen.add(record.key)
            chosen.append(self.pick(self.translations(record.key), language))
            if len(chosen) == limit:
                break
        return chosen

    # --- writing files -------------------------------------------------------------------

    def path_of(self, record: TemplateRecord) -> Path:
        return self.folder / (record.path or kb_files.file_name(record.key, record.language))

    def create(self, doc_id: str, language: str, title: str = "") -> Path:
        """A new file from the skeleton; refused if that id and language exist."""
        if not kb_files.ID.match(doc_id):
            raise KnowledgeError(f"id {doc_id!r}: use lowercase letters, digits and -")
        if not kb_files.LANGUAGE.match(language):
            raise KnowledgeError(f"language {language!r}: expected a code such as en, de, fr")
        self.refresh()
        if any(t.language == language for t in self.translations(doc_id)):
            raise KnowledgeError(f"{doc_id} already exists in {language}")
        path = self.folder / kb_files.file_name(doc_id, language)
        if path.exists():
            raise KnowledgeError(f"{path} already exists")
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_text(kb_files.skeleton(doc_id, language, title), encoding="utf-8")
        self.refresh()
        return path

    def save_text(self, text: str, path: Path | None = None) -> TemplateRecord:
        """Check ``text`` as a knowledge-base file, write it (to ``path`` or its own name)
        and index it. Raises ``KnowledgeError`` and writes nothing when it is not usable."""
        name = path.name if path is not None else "new.md"
        try:
            doc = kb_files.parse(text, name, self.shop_language)
        except KbFileError as exc:
            raise KnowledgeError(str(exc)) from None
        if path is None and not re.search(r"(?m)^id:\s*\S", text.split("\n---", 1)[0]):
            raise KnowledgeError("a new template needs an id: line in its front matter")
        found = template_problems(doc)
        if found:
            raise KnowledgeError(found[0])
        target = path or self.folder / kb_files.file_name(doc.id, doc.language)
        if path is None and target.exists():
            raise KnowledgeError(f"{doc.id} in {doc.language} already exists ({target.name})")
        self.refresh()
        for other in self.translations(doc.id):
            if other.language == doc.language and self.path_of(other) != target:
                raise KnowledgeError(f"{doc.id} in {doc.language} is already {other.path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.saving")
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        os.replace(tmp, target)
        self.refresh()
        return self.find(doc.id, doc.language)

    def import_paths(self, paths: list[Path], *, replace_existing: bool = False) -> list[Path]:
        """Copy Markdown files (or folders of them, or a JSON export) into the folder.

        Every file is checked first; nothing is written if one is unusable or would replace
        an existing template without ``replace_existing``.
        """
        docs: list[KbDocument] = []
        for path in paths:
            docs.extend(self._read_import(path))
        self.refresh()
        seen: set[tuple[str, str]] = set()
        for doc in docs:
            if (doc.id, doc.language) in seen:
                raise KnowledgeError(f"{doc.id} in {doc.language} is imported twice")
            seen.add((doc.id, doc.language))
            exists = any(t.language == doc.language for t in self.translations(doc.id))
            if exists and not replace_existing:
                raise KnowledgeError(
                    f"{doc.id} already exists in {doc.language} (--replace to overwrite)"
                )
        written: list[Path] = []
        self.folder.mkdir(parents=True, exist_ok=True)
        for doc in docs:
            current = [t for t in self.translations(doc.id) if t.language == doc.language]
            target = (
                self.path_of(current[0])
                if current
                else self.folder / kb_files.file_name(doc.id, doc.language)
            )
            target.write_text(kb_files.dump(doc), encoding="utf-8")
            written.append(target)
        self.refresh()
        return written

    def _read_import(self, path: Path) -> list[KbDocument]:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.md") if not p.name.startswith("."))
            if not files:
                raise KnowledgeError(f"{path}: no .md files in it")
            return [d for f in files for d in self._read_import(f)]
        if path.suffix == ".json":
            return self._read_json(path)
        try:
            doc = kb_files.read(path, self.shop_language)
        except KbFileError as exc:
            raise KnowledgeError(f"{path}: {exc}") from None
        found = template_problems(doc)
        if found:
            raise KnowledgeError(f"{path}: {found[0]}")
        return [doc]

    def _read_json(self, path: Path) -> list[KbDocument]:
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnowledgeError(f"{path}: not a knowledge-base export ({exc})") from None
        if not isinstance(items, list):
            raise KnowledgeError(f"{path}: expected a list of templates")
        docs: list[KbDocument] = []
        for n, item in enumerate(items, start=1):
            try:
                meta = {k: item[k] for k in ("id", "title", "language") if k in item}
                meta.update({k: item[k] for k in ("category", "tags") if item.get(k)})
                if item.get("key"):
                    meta["key"] = item["key"]
                if item.get("ask"):
                    meta["ask"] = item["ask"]
                import yaml

                text = f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n{item['body']}"
                doc = kb_files.parse(text, f"{item.get('id', 'x')}.md", self.shop_language)
            except (KbFileError, KeyError, TypeError) as exc:
                raise KnowledgeError(f"{path}: entry {n}: {exc}") from None
            found = template_problems(doc)
            if found:
                raise KnowledgeError(f"{path}: entry {n}: {found[0]}")
            docs.append(doc)
        return docs

    def export(self, destination: Path) -> list[Path]:
        """Every template as a file under ``destination`` (same layout as the folder)."""
        written: list[Path] = []
        for record in self.all():
            target = destination / (record.path or kb_files.file_name(record.key, record.language))
            target.parent.mkdir(parents=True, exist_ok=True)
            source = self.path_of(record)
            text = (
                source.read_text(encoding="utf-8")
                if source.exists()
                else kb_files.dump(document_of(record))
            )
            target.write_text(text, encoding="utf-8")
            written.append(target)
        return written


def export_item(record: TemplateRecord) -> dict[str, object]:
    """A template as JSON (``kb export --json``, ``kb list --json``); ``kb import`` reads it."""
    ask: dict[str, object] = {}
    for p in record.prompts:
        if p.choices or p.choices_from:
            ask[p.name] = {"question": p.question, "choices": p.choices_from or list(p.choices)}
        else:
            ask[p.name] = p.question
    return {
        "id": record.key,
        "language": record.language,
        "title": record.title,
        "category": record.category,
        "tags": list(record.tags),
        "key": record.hotkey,
        "ask": ask,
        "path": record.path,
        "problems": list(record.problems),
        "body": record.body,
    }


def _stem_query(word: str) -> str:
    """A crude stem as an FTS5 prefix: "retourner" finds "retour", "Bestellung" finds
    "Bestellungen" (no stemmer ships for every language a shop writes in)."""
    if len(word) < 5:
        return f'"{word}"'
    return f'"{word[: max(5, len(word) - 3)]}"*'


def _plain(body: str) -> str:
    """Template text without the ``{{ … }}`` / ``{% … %}`` code, for matching words."""
    return re.sub(r"\{[{%#].*?[}%#]\}", " ", body, flags=re.S)


_LINE = re.compile(r"^line (\d+):")


def template_problems(doc: KbDocument) -> list[str]:
    """The template's problems, with line numbers counted in the file, not the body. (Jinja
    and Babel load here, only when a file is actually read.)"""
    from agentconsole.services.template_render import problems

    found = problems(doc.body, [a.name for a in doc.asks])
    shift = doc.body_line - 1
    return [_LINE.sub(lambda m: f"line {int(m.group(1)) + shift}:", p) for p in found]


def with_implicit_prompts(doc: KbDocument) -> KbDocument:
    """``{{ ask.size }}`` in a file with no ``ask:`` block still asks ("Size?")."""
    if doc.asks:
        return doc
    from dataclasses import replace

    from agentconsole.services.template_render import asked

    try:
        names = asked(doc.body)
    except ValueError:
        return doc
    prompts = tuple(Prompt(n, n.replace("_", " ").capitalize() + "?") for n in names)
    return replace(doc, asks=prompts) if prompts else doc
