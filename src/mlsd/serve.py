"""`mlsd serve`: build the web pages, serve them on 127.0.0.1, rebuild on save, reload the page.

The site is built into a temporary folder (the committed output/ is left alone). Each save
triggers an incremental build; open pages poll a small status endpoint and reload when the
build number moves, or show the build's errors in a banner while the last good page stays.
"""
from __future__ import annotations

import json
import logging
import shutil
import signal
import tempfile
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import build
from .boundary import internal
from .config import Settings, bundled
from .errors import MlsdError

log = logging.getLogger("mlsd")
WEB_FORMATS = ("svg", "png", "md", "html", "json")
STATUS = "/_mlsd/status"
_RELOAD = """<script>
(function () {
  var version = %(version)d;
  function show(errors) {
    var bar = document.getElementById("mlsd-errors");
    if (!errors.length) { if (bar) bar.remove(); return; }
    if (!bar) {
      bar = document.createElement("pre");
      bar.id = "mlsd-errors";
      bar.style.cssText = "position:fixed;top:0;left:0;right:0;margin:0;padding:.75rem 1rem;" +
        "background:#c92a2a;color:#fff;font:13px/1.4 monospace;white-space:pre-wrap;z-index:9";
      document.body.prepend(bar);
    }
    bar.textContent = errors.join("\\n");
  }
  function poll() {
    fetch("%(status)s", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version !== version) { location.reload(); return; }
        show(s.errors); setTimeout(poll, 300);
      }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>
"""


@dataclass
class Site:
    """The served folder and the outcome of its latest build."""

    settings: Settings
    root: Path
    version: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rebuild(self) -> None:
        """Build what changed; bump the version when pages changed or the errors did."""
        try:
            result = build(self.settings.designs, self.root, formats=WEB_FORMATS,
                           templates=self.settings.templates)
            errors = [str(e) for e in result.errors]
            changed = bool(result.written)
        except MlsdError as exc:
            errors, changed = [str(exc)], False
        except Exception as exc:  # noqa: BLE001 -- the preview must outlive any error
            log.debug("the build failed", exc_info=True)  # the traceback, with --debug
            errors, changed = [internal(exc)], False
        self.show(errors, changed)

    def show(self, errors: list[str], changed: bool = False) -> None:
        """Publish the errors to the banner; bump the version when anything moved."""
        with self.lock:
            if changed or errors != self.errors:
                self.version += 1
            self.errors = errors
        for line in errors:
            log.warning("%s", line)

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "errors": self.errors}).encode()


class Handler(SimpleHTTPRequestHandler):
    """Serve the site folder only; add the reload script to every HTML page."""

    site: Site

    def do_GET(self) -> None:
        if self.path.split("?")[0] == STATUS:
            return self._send(self.site.status(), "application/json")
        path = Path(self.translate_path(self.path))  # confined to the site folder
        if not self._inside(path):
            return self.send_error(404)
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            with self.site.lock:
                script = _RELOAD % {"version": self.site.version, "status": STATUS}
            page = path.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1)
            return self._send(page.encode(), "text/html; charset=utf-8")
        return super().do_GET()

    def do_HEAD(self) -> None:
        if not self._inside(Path(self.translate_path(self.path))):
            return self.send_error(404)
        return super().do_HEAD()

    def _inside(self, path: Path) -> bool:
        """Return whether path is a sane name that, links resolved, stays in the site folder."""
        if "\0" in str(path):  # %00: no file has that name
            return False
        return path.resolve().is_relative_to(Path(self.directory).resolve())

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        log.debug(format, *args)


def watched(settings: Settings) -> list[Path]:
    """Return the folders whose changes trigger a rebuild."""
    folders = [settings.designs, settings.templates, bundled("templates")]
    return [f for f in dict.fromkeys(folders) if f and f.is_dir()]


def serve(settings: Settings, port: int, on_ready=None,
          stop: threading.Event | None = None) -> None:
    """Serve a live preview until Ctrl-C or SIGTERM (or until stop is set, for tests)."""
    import watchfiles  # noqa: F401 -- imported only by this command, and here to fail early

    root = Path(tempfile.mkdtemp(prefix="mlsd-serve-"))
    site, stop = Site(settings, root), stop or threading.Event()
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port),
                                     partial(_handler(site), directory=str(root)))
    except OSError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise MlsdError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}: "
                        f"pass --port with a free port (0 picks one)") from None
    restore_sigterm = _stop_on_sigterm()
    try:
        site.rebuild()
        threading.Thread(target=_watch, args=(site, stop), daemon=True).start()
        threading.Thread(target=lambda: (stop.wait(), server.shutdown()), daemon=True).start()
        log.info("Serving %s at http://127.0.0.1:%d/ (Ctrl-C to stop)", settings.designs,
                 server.server_address[1])
        if on_ready:
            on_ready(server.server_address[1])
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("Stopped.")
    finally:
        stop.set()
        server.server_close()
        shutil.rmtree(root, ignore_errors=True)
        restore_sigterm()


def _watch(site: Site, stop: threading.Event) -> None:
    """Rebuild on every change until stop is set; a failing watcher shows and starts again."""
    import watchfiles  # imported only by this command

    while not stop.is_set():
        try:
            for _ in watchfiles.watch(*watched(site.settings), stop_event=stop, debounce=50,
                                      step=20):
                site.rebuild()
        except Exception as exc:  # noqa: BLE001 -- a deleted folder, a watch limit reached
            log.debug("the watcher failed", exc_info=True)
            site.show([internal(exc)])
            stop.wait(1)


def _stop_on_sigterm():
    """Make SIGTERM stop the server as Ctrl-C does, so the temporary folder is removed;
    return what restores the previous handler."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals reach the main thread only (tests serve in a thread)
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _handler(site: Site) -> type[Handler]:
    return type("SiteHandler", (Handler,), {"site": site})
