"""Lay out printable pages with WeasyPrint: a design's handout, the cheat sheet, the worksheet.

Its fetcher serves the diagrams from the build's own files, so a PDF never reads the disk or
the network.
"""
from __future__ import annotations

from .errors import RenderError

BASE_URL = "https://mlsd.invalid/"  # a host that never resolves: every URL is answered here


def print_pdf(html: str, files: dict[str, bytes] | None = None) -> tuple[bytes, int, dict[str, int]]:
    """Lay out html as a PDF; return its bytes, its page count and the page of each anchor.

    Relative URLs in html resolve to `files` (path -> bytes); anything else is refused.
    """
    import weasyprint  # heavy: imported only when a PDF is made
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    files = files or {}

    class MemoryFetcher(URLFetcher):
        """Serve the build's own files and data: URIs; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            key = url.removeprefix(BASE_URL)
            if key == url or key not in files:
                raise RenderError(f"a page refers to '{url}', which the build did not make")
            mime = "image/svg+xml" if key.endswith(".svg") else "image/png"
            return URLFetcherResponse(url, files[key], {"Content-Type": mime})

    document = weasyprint.HTML(string=html, base_url=BASE_URL,
                               url_fetcher=MemoryFetcher()).render()
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:  # a box split across pages is listed on each: keep the first
            anchors.setdefault(name, number)
    return document.write_pdf(), len(document.pages), anchors
