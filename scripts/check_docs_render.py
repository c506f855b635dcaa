"""Render the documentation in a real browser and check its links.

Builds the site (``mkdocs build --strict``), serves it on 127.0.0.1, loads the home page, the
``client.trade`` reference and one /sapi group (``client.wallet``), plus the reference overview, the
WebSocket API page and the local exchange page, in headless chromium, and checks:

* every internal link on those pages (as the browser's DOM has them) answers 200, and a link's
  ``#fragment`` names an element of the target page;
* the search index has an entry titled with each filter and option name a user would search for
  (``LotSize``, ``PriceFilter``, ``ReconnectPolicy``, and ``NewOrderOptions`` while that class exists);
* no page shows a private module path (``binance_typed.<...>._module``) or a raw reST role
  (``:class:``) as text.

It saves a full-page screenshot of each page in ``--out`` (``/tmp/docs-render`` by default).
Needs chromium (Debian: ``apt-get install chromium``); CI does not install it, so
tests/test_docs_render.py skips there.

    python scripts/check_docs_render.py                      # build, serve, render, check
    python scripts/check_docs_render.py --site /tmp/site-ref --no-build
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("", "reference/trade/", "reference/wallet/", "reference/", "reference/ws_api/", "reference/simulator/")
"""The home page, the trade page and one /sapi group (``wallet``), then the overview and two core pages."""
SEARCH_TERMS = ("LotSize", "PriceFilter", "ReconnectPolicy", "NewOrderOptions")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
RAW_ROLE = re.compile(r":(?:class|meth|func|data|attr|mod|exc|obj):\S")
PRIVATE_PATH = re.compile(r"\bbinance_typed(?:\.[A-Za-z]\w*)*\._[a-z]\w*(?:\.\w+)*")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def build(site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Server:
    site: Path
    httpd: http.server.ThreadingHTTPServer = field(init=False)

    def __enter__(self) -> Server:
        handler = functools.partial(_Quiet, directory=str(self.site))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chromium(binary: str, profile: Path, *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"chromium failed ({result.returncode}): {result.stderr[-2000:]}")
    return result.stdout


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        for key in ("id", "name"):
            if values.get(key):
                self.ids.add(str(values[key]))


def _parse(text: str) -> _Links:
    parser = _Links()
    parser.feed(text)
    return parser


def _visible_text(dom: str) -> str:
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S | re.I)
    dom = re.sub(r"<[^>]+>", " ", dom)
    return re.sub(r"\s+", " ", dom)


@dataclass
class Report:
    pages: dict[str, int] = field(default_factory=dict)
    """Page -> internal links checked."""
    broken: list[str] = field(default_factory=list)
    search_missing: list[str] = field(default_factory=list)
    private_paths: list[str] = field(default_factory=list)
    raw_roles: list[str] = field(default_factory=list)
    screenshots: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.broken or self.search_missing or self.private_paths or self.raw_roles)


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def search_terms() -> list[str]:
    """The terms to look up: ``NewOrderOptions`` only while the generated class exists."""
    sys.path.insert(0, str(ROOT))
    try:
        import binance_typed.api.trade as trade

        has_options = hasattr(trade, "NewOrderOptions")
    finally:
        sys.path.remove(str(ROOT))
    return [t for t in SEARCH_TERMS if t != "NewOrderOptions" or has_options]


def check(
    site: Path,
    out: Path,
    binary: str,
    pages: tuple[str, ...] = PAGES,
    terms: list[str] | None = None,
) -> Report:
    """Render ``pages`` of the built ``site`` and check them (see the module docstring)."""
    report = Report()
    out.mkdir(parents=True, exist_ok=True)
    with Server(site) as server, tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        base = server.url
        checked: dict[str, tuple[int, set[str]]] = {}
        for page in pages:
            url = urljoin(base, page)
            dom = chromium(binary, Path(profile), "--virtual-time-budget=5000", "--dump-dom", url)
            if "</html>" not in dom:
                report.broken.append(f"{url}: the browser rendered no document")
                continue
            shot = out / f"{(page.strip('/') or 'home').replace('/', '-')}.png"
            chromium(binary, Path(profile), "--window-size=1280,2400", f"--screenshot={shot}", url)
            report.screenshots.append(str(shot))
            text = _visible_text(dom)
            for match in PRIVATE_PATH.finditer(text):
                report.private_paths.append(f"{page or '/'}: {match.group(0)}")
            for match in RAW_ROLE.finditer(text):
                report.raw_roles.append(f"{page or '/'}: {text[max(0, match.start() - 30):match.end() + 30]}")
            links = 0
            for href in _parse(dom).hrefs:
                target = urljoin(url, href)
                if urlsplit(target).netloc != urlsplit(base).netloc:
                    continue
                links += 1
                address, fragment = urldefrag(target)
                if address not in checked:
                    status, body = _fetch(address)
                    checked[address] = (status, _parse(body).ids if body else set())
                status, ids = checked[address]
                if status != 200:
                    report.broken.append(f"{page or '/'}: {href} -> {status}")
                elif fragment and address.endswith("/") and fragment not in ids:
                    report.broken.append(f"{page or '/'}: {href} -> no #{fragment} on the page")
            report.pages[page or "/"] = links
        status, body = _fetch(urljoin(base, "search/search_index.json"))
        docs = json.loads(body)["docs"] if status == 200 else []
        titles = [re.sub(r"<[^>]+>", "", d.get("title", "")) for d in docs]
        for term in search_terms() if terms is None else terms:
            if not any(re.search(rf"\b{re.escape(term)}\b", title) for title in titles):
                report.search_missing.append(term)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="site directory (default: a fresh temporary build)")
    parser.add_argument("--no-build", action="store_true", help="use --site as it is")
    parser.add_argument("--out", type=Path, default=Path("/tmp/docs-render"), help="screenshot directory")
    args = parser.parse_args(argv)
    binary = find_chromium()
    if binary is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="site-") as tmp:
        site = args.site or Path(tmp)
        if not args.no_build:
            build(site)
        report = check(site, args.out, binary)
    for page, links in report.pages.items():
        print(f"{page}: {links} internal links checked")
    for line in report.broken:
        print(f"broken link: {line}")
    for term in report.search_missing:
        print(f"search finds no entry titled {term!r}")
    for line in report.private_paths:
        print(f"private module path shown: {line}")
    for line in report.raw_roles:
        print(f"raw reST role shown: {line}")
    print("screenshots: " + ", ".join(report.screenshots))
    print("OK" if report.ok else "FAILED")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
