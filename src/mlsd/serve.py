"""`mlsd serve`: build the web pages, serve them on 127.0.0.1, rebuild on save, reload the page.

The site is built into a temporary folder (the committed output/ is left alone). Each save
triggers an incremental build; open pages poll a small status endpoint and reload when the
build number moves, or show the build's errors in a banner while the last good page stays.
"""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .build import build
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
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            with self.site.lock:
                script = _RELOAD % {"version": self.site.version, "status": STATUS}
            page = path.read_text(encoding="utf-8").replace("</body>", script + "</body>", 1)
            return self._send(page.encode(), "text/html; charset=utf-8")
        return super().do_GET()

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
    """Serve a live preview until Ctrl-C (or until stop is set, for tests)."""
    import watchfiles  # imported only by this command

    root = Path(tempfile.mkdtemp(prefix="mlsd-serve-"))
    site, stop = Site(settings, root), stop or threading.Event()
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port),
                                     partial(_handler(site), directory=str(root)))
    except OSError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise MlsdError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}: "
                        f"pass --port with a free port (0 picks one)") from None
    site.rebuild()

    def watch() -> None:
        for _ in watchfiles.watch(*watched(settings), stop_event=stop, debounce=50, step=20):
            site.rebuild()

    threading.Thread(target=watch, daemon=True).start()
    threading.Thread(target=lambda: (stop.wait(), server.shutdown()), daemon=True).start()
    log.info("Serving %s at http://127.0.0.1:%d/ (Ctrl-C to stop)", settings.designs,
             server.server_address[1])
    if on_ready:
        on_ready(server.server_address[1])
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("Stopped.")
    finally:
        stop.set()
        server.server_close()
        shutil.rmtree(root, ignore_errors=True)


def _handler(site: Site) -> type[Handler]:
    return type("SiteHandler", (Handler,), {"site": site})
