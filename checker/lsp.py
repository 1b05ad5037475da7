"""`claimcheck lsp`: a language server, so that any LSP client (VS Code, Neovim, Helix, Emacs, ...) shows
where the open document disagrees with its sources while the writer types.

The open document is the draft; its sources come from the nearest configuration file above it
(`sources = [...]`, relative to that file) or from the client's initializationOptions
`{"sources": [...]}` (relative to the workspace root), which win. Each finding that involves the
draft's claims becomes one diagnostic per draft claim, with relatedInformation pointing at every
source claim of the finding. A quick fix inserts an inline suppression for the diagnostic's rule.

The sources are extracted once and their Run kept (per sources and configuration); they are read
again only when a source file's mtime or size changes, or a file comes or goes. A re-check is then
collect_bytes(draft) + merge_runs + evaluate. Checks run one at a time on a worker thread, and
didChange is debounced, so typing never queues work.

Needs pygls (`pip install 'claimcheck[lsp]'`); lsprotocol comes with it. Works with pygls 1.3+ and 2.x.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from lsprotocol import types as lsp

try:  # pygls 2.x
    from pygls.lsp.server import LanguageServer
except ImportError:  # pragma: no cover - pygls 1.x
    from pygls.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from checker import __version__
from checker.ingest import TEXT_SUFFIXES

log = logging.getLogger("claimcheck.lsp")

SOURCE = "claimcheck"
NOT_SILENCEABLE = ("source not checked:", "claimcheck configuration:")
DEBOUNCE_SECONDS = 0.15
SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
            "info": lsp.DiagnosticSeverity.Information}
COMMENT_SUFFIXES = {".md", ".markdown", ".html", ".htm"}
LANGUAGE_SUFFIX = {"markdown": ".md", "html": ".html", "plaintext": ".txt", "text": ".txt"}
# an HTML line that opens a block: the paragraph a suppression comment goes before starts there
_HTML_BLOCK = re.compile(r"\s*<(p|h[1-6]|li|ul|ol|div|blockquote|article|section|table|tr|td|th|dl|dt|dd|pre|"
                         r"figure|figcaption|header|footer|main|aside|nav|body)\b", re.I)
# a Markdown line that a paragraph below it does not continue: front matter fences, headings, code fences
_MD_BOUNDARY = re.compile(r"\s{0,3}(---|\+\+\+|\.\.\.|#{1,6}(\s|$)|```|~~~)")
_COMMENT_WITH_CODES = re.compile(r"^(?P<head>\s*<!--\s*claimcheck:\s*ignore\b)(?P<codes>[^>]*?)(?P<tail>\s*-->\s*)$",
                                 re.I)
_LINE_WITH_CODES = re.compile(r"claimcheck:\s*ignore[ \t]+[A-Za-z]+\d+(?:[ \t]*,?[ \t]*[A-Za-z]+\d+)*[ \t]*$", re.I)


# ---- the sources' runs, kept ---------------------------------------------------------------------


@dataclass
class _Entry:
    run: Any
    stamps: dict


class SourceCache:
    """The sources' Run per (sources, configuration, excluded draft), re-collected only when a source
    file changes (mtime or size), appears or goes away. Runs are never changed once made: merge_runs
    builds a new Run around them for every check."""

    def __init__(self, size: int = 8) -> None:
        self._entries: OrderedDict = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self.collections = 0  # how many times sources were (re)collected: for tests and the benchmark

    def get(self, sources: list[str], config, draft_path: Optional[str] = None, config_key: str = ""):
        from checker.api import Run, collect
        from checker.ingest import InputError, discover

        if not sources:
            return Run()
        files, errors = [], []
        for item in discover(sources, include_hidden=config.include_hidden):
            if isinstance(item, InputError):
                errors.append(item)
            elif config.path_selected(item):
                files.append(item)
        draft_id = None
        if draft_path:
            try:
                st = os.stat(draft_path)
                draft_id = (st.st_dev, st.st_ino)
            except OSError:
                pass
        exclude, stamps = None, {}
        for f in files:
            try:
                st = os.stat(f)
            except OSError:
                stamps[f] = None
                continue
            if (st.st_dev, st.st_ino) == draft_id:  # the draft sits inside a source folder: not its own source
                exclude = f
                continue
            stamps[f] = (st.st_mtime_ns, st.st_size)
        files = list(stamps)
        key = (tuple(sources), config_key or config.model_dump_json(), exclude)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry.stamps == stamps:
                self._entries.move_to_end(key)
                return entry.run
            run = collect(files, config)
            run.errors[:0] = errors
            self.collections += 1
            self._entries[key] = _Entry(run, stamps)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
            return run


# ---- configuration per document ------------------------------------------------------------------


class SettingsError(Exception):
    pass


@dataclass
class Settings:
    config: Any
    rules: list
    sources: list[str]
    key: str = ""  # the configuration as JSON: part of the sources' cache key


class Engine:
    """Everything but the protocol: configuration, the sources' cache, checking a draft's text and
    turning findings into diagnostics and suppression edits."""

    def __init__(self, root: Optional[str] = None, sources: Optional[list[str]] = None) -> None:
        self.root = root                  # the workspace folder, if the client named one
        self.sources_override = sources   # initializationOptions {"sources": [...]}, already resolved
        self.cache = SourceCache()
        self._settings: dict = {}         # config path -> (stamp, Settings)
        self._lines: OrderedDict = OrderedDict()  # source path -> (stamp, lines): for position units

    def set_sources(self, sources: Optional[list], base: Optional[str] = None) -> None:
        if sources is None:
            self.sources_override = None
            return
        if isinstance(sources, str):
            sources = [sources]
        base = base or self.root or os.getcwd()
        self.sources_override = [os.path.normpath(os.path.join(base, os.path.expanduser(str(s)))) for s in sources]

    def settings_for(self, path: Optional[str]):
        from checker.checks import RuleError, load_rules
        from checker.config import Config
        from checker.configfile import ConfigError, apply_rule_settings, find_config, load_config_file
        from pydantic import ValidationError

        start = os.path.dirname(path) if path else (self.root or os.getcwd())
        config_path = find_config([start]) if start and os.path.isdir(start) else None
        if config_path is None and self.root and os.path.isdir(self.root):
            config_path = find_config([self.root])
        try:
            stamp = os.stat(config_path).st_mtime_ns if config_path else None
        except OSError:
            stamp = None
        key = str(config_path)
        cached = self._settings.get(key)
        if cached is not None and cached[0] == stamp:
            settings = cached[1]
        else:
            try:
                values = load_config_file(config_path) if config_path else {}
                project = str(config_path.parent) if config_path else (self.root or os.getcwd())
                values.setdefault("cache_dir", os.path.join(project, ".claimcheck_cache"))
                config = Config(**values)
                rules = load_rules(config.rule_packs)
                if config.rule_settings:
                    apply_rule_settings(rules, config.rule_settings, config.config_path or "configuration")
                rules = [r for r in rules if config.rule_enabled(r.code)]
            except (ConfigError, RuleError, ValidationError) as err:
                raise SettingsError(str(err)) from None
            settings = Settings(config, rules, list(config.sources), config.model_dump_json())
            self._settings[key] = (stamp, settings)
        if self.sources_override is not None:
            return Settings(settings.config, settings.rules, self.sources_override, settings.key)
        return settings

    # ---- checking ----------------------------------------------------------------------------------

    def check(self, name: str, text: str, path: Optional[str] = None):
        """The draft-mode Report for the draft `text` shown under `name` (its file path, or a made-up
        name for an unsaved document)."""
        from checker import api
        from checker.draft import merge_runs

        settings = self.settings_for(path)
        sources_run = self.cache.get(settings.sources, settings.config, path, settings.key)
        draft_run = api.collect_bytes(name, text.encode("utf-8"), settings.config)
        run = merge_runs(draft_run, sources_run)
        return api.evaluate(run, settings.rules, settings.config, draft_only=True)

    def diagnostics(self, uri: str, text: str, language_id: str = "", encoding: str = "utf-16") -> list:
        """The diagnostics for one open document. A configuration that cannot be read is one
        diagnostic at the top of the document."""
        path = uri_path(uri)
        name = draft_name(uri, path, language_id)
        try:
            report = self.check(name, text, path)
        except SettingsError as err:
            return [lsp.Diagnostic(range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
                                   message=f"claimcheck configuration: {err}", severity=lsp.DiagnosticSeverity.Error,
                                   source=SOURCE)]
        return self.to_diagnostics(report, name, text, encoding)

    def to_diagnostics(self, report, name: str, text: str, encoding: str = "utf-16") -> list:
        lines = text.split("\n")
        out = []
        for f in report.findings:
            mine = [c for c in f.claims if c.path == name]
            if not mine and f.category == "input":  # a source that cannot be read: say so at the top
                out.append(lsp.Diagnostic(range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
                                          message=f"source not checked: {f.message}", code=f.rule, source=SOURCE,
                                          severity=lsp.DiagnosticSeverity.Information))
                continue
            if not mine:  # about the sources only: not shown on the draft
                continue
            related = [lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=path_uri(c.path), range=self._source_range(c, encoding)),
                message=f'"{c.text}" = {c.value}') for c in f.claims if c.path != name]
            seen = set()
            for c in mine:
                if (c.line, c.column) in seen:
                    continue
                seen.add((c.line, c.column))
                out.append(lsp.Diagnostic(
                    range=claim_range(c, lines, encoding), message=f.message,
                    severity=SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Warning), code=f.rule, source=SOURCE,
                    related_information=related or None,
                    data={"rule": f.rule, "fingerprint": f.fingerprint, "line": c.line - 1}))
        return out

    def _source_range(self, c, encoding: str) -> lsp.Range:
        if encoding == "utf-32":
            return claim_range(c, None, encoding)
        return claim_range(c, self._source_lines(c.path, {c.line, c.end_line}), encoding)

    def _source_lines(self, path: str, wanted: set) -> Optional[dict]:
        """A source file's lines (for columns in UTF-16 or UTF-8 units), read once per version."""
        try:
            st = os.stat(path)
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            return None
        hit = self._lines.get(path)
        if hit is None or hit[0] != stamp:
            from checker.ingest import decode

            try:
                with open(path, "rb") as fh:
                    raw = decode(fh.read(), [])
            except Exception:  # noqa: BLE001 - unreadable now: columns stay in characters
                return None
            hit = (stamp, raw.split("\n"))
            self._lines[path] = hit
            while len(self._lines) > 256:
                self._lines.popitem(last=False)
        self._lines.move_to_end(path)
        return {i: hit[1][i - 1] for i in wanted if 0 < i <= len(hit[1])}


# ---- positions and edits -------------------------------------------------------------------------


def uri_path(uri: str) -> Optional[str]:
    if not uri.startswith("file:"):
        return None
    try:
        return to_fs_path(uri)
    except Exception:  # noqa: BLE001
        return None


def path_uri(path: str) -> str:
    return from_fs_path(os.path.abspath(path)) or path


def draft_name(uri: str, path: Optional[str], language_id: str = "") -> str:
    """The name the draft is checked under: its path, with a suffix that gives its format when the
    path has none claimcheck reads (an untitled Markdown buffer is read as Markdown)."""
    name = path or uri
    if Path(name).suffix.lower() not in TEXT_SUFFIXES:
        name += LANGUAGE_SUFFIX.get(language_id, "")
    return name


def checkable(uri: str, language_id: str = "") -> bool:
    return (Path(uri_path(uri) or uri).suffix.lower() in TEXT_SUFFIXES) or language_id in LANGUAGE_SUFFIX


def _units(s: str, encoding: str) -> int:
    if encoding == "utf-32" or s.isascii():
        return len(s)
    if encoding == "utf-8":
        return len(s.encode("utf-8"))
    return len(s.encode("utf-16-le")) // 2


def _char(lines, line: int, column: int, encoding: str) -> int:
    """1-based line and character column -> 0-based column in the client's units."""
    col = max(column - 1, 0)
    if lines is None or encoding == "utf-32":
        return col
    text = lines.get(line) if isinstance(lines, dict) else (lines[line - 1] if 0 < line <= len(lines) else None)
    return col if text is None else _units(text[:col], encoding)


def claim_range(c, lines, encoding: str = "utf-16") -> lsp.Range:
    start = lsp.Position(line=max(c.line - 1, 0), character=_char(lines, c.line, c.column, encoding))
    end = lsp.Position(line=max(c.end_line - 1, 0), character=_char(lines, c.end_line, c.end_column, encoding))
    return lsp.Range(start=start, end=end)


def suppression_edit(text: str, name: str, line: int, code: str, encoding: str = "utf-16") -> lsp.TextEdit:
    """The edit that silences rule `code` for the claim on 0-based `line`: in Markdown and HTML a
    `<!-- claimcheck: ignore CODE -->` line before the paragraph holding it (or the code added to
    such a comment already there), elsewhere ` claimcheck: ignore CODE` at the end of the line."""
    lines = text.split("\n")
    line = min(max(line, 0), max(len(lines) - 1, 0))
    if Path(name).suffix.lower() in COMMENT_SUFFIXES:
        html = Path(name).suffix.lower() in (".html", ".htm")
        start = line
        while start > 0 and lines[start - 1].strip() and not (html and _HTML_BLOCK.match(lines[start])):
            if _COMMENT_WITH_CODES.match(lines[start - 1]) or (not html and _MD_BOUNDARY.match(lines[start - 1])):
                break
            start -= 1
        above = lines[start - 1] if start > 0 else ""
        m = _COMMENT_WITH_CODES.match(above.rstrip("\r"))
        if m and m.group("codes").strip():  # a comment for other rules already there: add this one
            new = f'{m.group("head")}{m.group("codes").rstrip()}, {code}{m.group("tail").rstrip()}'
            end = above.rstrip("\r")
            return lsp.TextEdit(range=lsp.Range(lsp.Position(start - 1, 0),
                                                lsp.Position(start - 1, _units(end, encoding))), new_text=new)
        indent = re.match(r"[ \t]*", lines[start]).group(0) if lines else ""
        if len(indent.expandtabs(4)) >= 4 and not html:
            indent = ""  # four spaces would make the comment a Markdown code block
        return lsp.TextEdit(range=lsp.Range(lsp.Position(start, 0), lsp.Position(start, 0)),
                            new_text=f"{indent}<!-- claimcheck: ignore {code} -->\n")
    body = lines[line].rstrip("\r") if lines else ""
    end = lsp.Position(line, _units(body, encoding))
    if _LINE_WITH_CODES.search(body):  # the line already silences other rules: add this one
        return lsp.TextEdit(range=lsp.Range(end, end), new_text=f", {code}")
    sep = "" if not body or body.endswith((" ", "\t")) else " "
    return lsp.TextEdit(range=lsp.Range(end, end), new_text=f"{sep}claimcheck: ignore {code}")


# ---- the server ----------------------------------------------------------------------------------


class ClaimcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(name="claimcheck", version=__version__,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.engine = Engine()
        self.debounce = DEBOUNCE_SECONDS
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimcheck-check")
        self.pending: dict[str, asyncio.Task] = {}
        self.published: dict[str, list] = {}  # uri -> the diagnostics last published
        self.latest: dict[str, Any] = {}      # uri -> the newest version a check was started for

    # pygls 1.x and 2.x name these differently
    def get_document(self, uri: str):
        ws = self.workspace
        getter = getattr(ws, "get_text_document", None) or ws.get_document
        return getter(uri)

    def encoding(self) -> str:
        enc = getattr(self.workspace, "position_encoding", None)
        enc = getattr(enc, "value", enc) or "utf-16"
        return str(enc).lower()

    def publish(self, uri: str, diagnostics: list, version: Optional[int] = None) -> None:
        self.published[uri] = diagnostics
        if hasattr(self, "text_document_publish_diagnostics"):
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))
        else:  # pragma: no cover - pygls 1.x
            self.publish_diagnostics(uri, diagnostics, version)

    def log(self, message: str, kind=lsp.MessageType.Log) -> None:
        log.info(message)
        params = lsp.LogMessageParams(type=kind, message=message)
        if hasattr(self, "window_log_message"):
            self.window_log_message(params)
        else:  # pragma: no cover - pygls 1.x
            self.show_message_log(message, kind)

    def schedule(self, uri: str, delay: float) -> None:
        """Check `uri` after `delay` seconds, replacing a check of it that has not started yet."""
        old = self.pending.pop(uri, None)
        if old is not None and not old.done():
            old.cancel()
        self.pending[uri] = asyncio.ensure_future(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            doc = self.get_document(uri)
        except Exception:  # noqa: BLE001 - closed meanwhile
            return
        if uri not in self.workspace.text_documents:
            return
        version, text, language_id = doc.version, doc.source, getattr(doc, "language_id", "") or ""
        if self.pending.get(uri) is asyncio.current_task():
            del self.pending[uri]  # from here on a change schedules a new check; this one runs to the end
        self.latest[uri] = version
        loop = asyncio.get_running_loop()
        try:
            diagnostics = await loop.run_in_executor(self.checker, self._run_check, uri, version, text, language_id,
                                                     self.encoding())
        except Exception as err:  # noqa: BLE001 - a bug: say so in the client's log, keep serving
            log.exception("checking %s failed", uri)
            self.log(f"claimcheck: checking {uri} failed: {type(err).__name__}: {err}", lsp.MessageType.Error)
            return
        if diagnostics is None or uri not in self.workspace.text_documents \
                or self.get_document(uri).version != version:
            return  # changed meanwhile: the newer check publishes
        self.publish(uri, diagnostics, version)

    def _run_check(self, uri: str, version, text: str, language_id: str, encoding: str):
        """On the worker thread. A check that waited behind a slower one while the document changed
        again is skipped: only the newest version is worth checking."""
        if self.latest.get(uri) != version:
            return None
        return self.engine.diagnostics(uri, text, language_id, encoding)


def build_server() -> ClaimcheckServer:
    server = ClaimcheckServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: ClaimcheckServer, params: lsp.InitializeParams):
        root = None
        if params.workspace_folders:
            root = uri_path(params.workspace_folders[0].uri)
        if root is None and params.root_uri:
            root = uri_path(params.root_uri)
        if root is None and params.root_path:
            root = params.root_path
        ls.engine.root = root
        options = params.initialization_options
        if isinstance(options, dict):
            options = options.get("claimcheck", options)
            if "sources" in options:
                ls.engine.set_sources(options["sources"])
            if isinstance(options.get("debounce_ms", options.get("debounceMs")), (int, float)):
                ls.debounce = max(0.0, float(options.get("debounce_ms", options.get("debounceMs"))) / 1000)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: ClaimcheckServer, params: lsp.DidOpenTextDocumentParams):
        if checkable(params.text_document.uri, params.text_document.language_id):
            ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: ClaimcheckServer, params: lsp.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        doc = ls.get_document(uri)
        if checkable(uri, getattr(doc, "language_id", "") or ""):
            ls.schedule(uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: ClaimcheckServer, params: lsp.DidSaveTextDocumentParams):
        # a saved source or configuration changes every open draft's check: re-check them all
        for uri, doc in list(ls.workspace.text_documents.items()):
            if checkable(uri, getattr(doc, "language_id", "") or ""):
                ls.schedule(uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: ClaimcheckServer, params: lsp.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.latest.pop(uri, None)
        if ls.published.pop(uri, None):
            ls.publish(uri, [])

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: ClaimcheckServer, params: lsp.DidChangeConfigurationParams):
        settings = params.settings
        if isinstance(settings, dict):
            settings = settings.get("claimcheck", settings)
            if isinstance(settings, dict) and "sources" in settings:
                ls.engine.set_sources(settings["sources"])
                for uri in list(ls.workspace.text_documents):
                    if checkable(uri):
                        ls.schedule(uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: ClaimcheckServer, params: lsp.CodeActionParams):
        uri = params.text_document.uri
        try:
            doc = ls.get_document(uri)
        except Exception:  # noqa: BLE001
            return None
        diagnostics = [d for d in params.context.diagnostics if d.source == SOURCE]
        if not diagnostics:  # a client that sends none: ours on the requested lines
            first, last = params.range.start.line, params.range.end.line
            diagnostics = [d for d in ls.published.get(uri, [])
                           if d.range.start.line <= last and d.range.end.line >= first]
        # only a finding on the draft's own claims can be silenced in the draft
        diagnostics = [d for d in diagnostics if d.code and not d.message.startswith(NOT_SILENCEABLE)]
        name = draft_name(uri, uri_path(uri), getattr(doc, "language_id", "") or "")
        actions, done = [], set()
        for d in diagnostics:
            line = d.range.start.line
            key = (str(d.code), line)
            if key in done:
                continue
            done.add(key)
            edit = suppression_edit(doc.source, name, line, str(d.code), ls.encoding())
            actions.append(lsp.CodeAction(
                title=f"Ignore {d.code} here (claimcheck: ignore {d.code})", kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[d], edit=lsp.WorkspaceEdit(changes={uri: [edit]})))
        return actions

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: ClaimcheckServer, *args):
        for task in ls.pending.values():
            task.cancel()
        ls.pending.clear()
        ls.checker.shutdown(wait=False, cancel_futures=True)

    return server


def _protocol_streams():
    """The protocol's own stdin and stdout; file descriptor 1 then goes to stderr, so that a stray
    print (ours, a library's, a worker process's) can never corrupt the JSON-RPC stream."""
    out_fd = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return sys.stdin.buffer, os.fdopen(out_fd, "wb", buffering=0)


def main() -> int:
    """Serve on stdin/stdout until the client says exit; then the process ends (worker threads or a
    blocked read of stdin never keep it alive)."""
    logging.basicConfig(level=os.environ.get("CLAIMCHECK_LSP_LOG", "WARNING").upper(), stream=sys.stderr,
                        format="claimcheck lsp: %(levelname)s %(message)s")
    stdin, stdout = _protocol_streams()
    server = build_server()
    code = 0
    try:
        server.start_io(stdin, stdout)
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        protocol = getattr(server, "protocol", None) or getattr(server, "lsp", None)  # pygls 2.x / 1.x
        shutdown_seen = bool(getattr(protocol, "_shutdown", True))
        code = 0 if shutdown_seen else 1
        try:
            sys.stderr.flush()
            stdout.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
