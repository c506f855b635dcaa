"""The documentation renders in a real browser with working links (scripts/check_docs_render.py).

Needs chromium (``apt-get install chromium``): skipped where it is not installed, as on CI. The
full check builds the site (about a minute).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_check_docs_render", ROOT / "scripts" / "check_docs_render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


render = _script()
CHROMIUM = render.find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI does not install it)")


def test_checker_reports_broken_links_missing_search_terms_private_paths_and_roles(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "search").mkdir()
    (site / "index.html").write_text(
        "<html><body><p>see binance_typed.testing._server.LocalBinance</p><p>a :class:`Faults` here</p>"
        '<a href="a/">ok</a> <a href="a/#here">anchor</a> <a href="a/#nowhere">bad anchor</a> '
        '<a href="missing/">404</a> <a href="https://example.invalid/">external</a></body></html>'
    )
    (site / "a" / "index.html").write_text('<html><body><h2 id="here">Here</h2></body></html>')
    (site / "search" / "search_index.json").write_text(
        json.dumps({"docs": [{"title": "PriceFilter", "text": "LotSize in the text only"}]})
    )
    report = render.check(site, tmp_path / "shots", CHROMIUM, pages=("",), terms=["PriceFilter", "LotSize"])
    assert report.pages == {"/": 4}
    assert sorted(report.broken) == ["/: a/#nowhere -> no #nowhere on the page", "/: missing/ -> 404"]
    assert report.search_missing == ["LotSize"]
    assert report.private_paths == ["/: binance_typed.testing._server.LocalBinance"]
    assert len(report.raw_roles) == 1 and ":class:`Faults`" in report.raw_roles[0]
    assert not report.ok
    shot = tmp_path / "shots" / "home.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_site_renders_with_working_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = render.main(["--site", str(tmp_path / "site"), "--out", str(tmp_path / "shots")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "OK" in out.splitlines()[-1]
    for name in ("home.png", "reference-trade.png", "reference-wallet.png"):
        assert (tmp_path / "shots" / name).stat().st_size > 10_000
