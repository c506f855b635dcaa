"""Packaging: sdist + wheel build and pass twine check; installs are visible to a user's mypy.

The build test copies the tracked files to a temporary folder (as a clean clone), builds there,
installs into throw-away virtual environments and type-checks a user's script from another
folder with mypy (and pyright, when it is installed and its Node.js part works). It needs ``build`` and ``twine`` (the ``dev`` extra) and takes about a minute; set
``BINANCE_TYPED_SKIP_PACKAGING=1`` to skip it locally.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
USER_SCRIPT = """\
from decimal import Decimal

from binance_typed import Client
from binance_typed.rules import SymbolRules


def tick(client: Client, symbol: str) -> Decimal:
    rules: SymbolRules = client.market.rules(symbol)
    return rules.tick_size
"""
MISSING = "Cannot find implementation or library stub for module named \"binance_typed\""


def _run(*args: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed:\n{done.stdout}\n{done.stderr}")
    return done


def test_pyproject_declares_the_extras_and_typed_marker() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extras = meta["project"]["optional-dependencies"]
    assert {"testing", "pandas", "progress", "dev"} <= set(extras)
    assert any(r.startswith("pandas") for r in extras["pandas"])
    assert any(r.startswith("tqdm") for r in extras["progress"])
    assert "py.typed" in meta["tool"]["setuptools"]["package-data"]["binance_typed"]
    readme = (ROOT / "README.md").read_text()
    assert "editable_mode=strict" in readme and "not on PyPI" in readme


@pytest.mark.skipif(os.environ.get("BINANCE_TYPED_SKIP_PACKAGING") == "1", reason="BINANCE_TYPED_SKIP_PACKAGING=1")
def test_build_twine_and_mypy_from_a_separate_folder(tmp_path: Path) -> None:
    pytest.importorskip("build")
    pytest.importorskip("twine")
    src = tmp_path / "src"
    files = _run("git", "ls-files", cwd=ROOT).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", dist, src, cwd=tmp_path)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    _run(sys.executable, "-m", "twine", "check", "--strict", *wheels, *sdists, cwd=tmp_path)
    names = zipfile.ZipFile(wheels[0]).namelist()
    assert "binance_typed/py.typed" in names and "binance_typed/rules.py" in names
    assert not [n for n in names if n.startswith(("tests/", "scripts/", "examples/"))]

    user = tmp_path / "user"
    user.mkdir()
    (user / "app.py").write_text(USER_SCRIPT)

    deps = [p for p in sys.path if p.endswith("-packages") and Path(p).is_dir()]

    def venv(name: str) -> Path:
        # a bare venv whose own install comes first; this interpreter's site-packages, added last
        # by a .pth, give the dependencies and mypy (their own .pth hooks are not run)
        _run(sys.executable, "-m", "venv", "--without-pip", tmp_path / name, cwd=tmp_path)
        python = tmp_path / name / "bin" / "python"
        site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path)
        Path(site.stdout.strip(), "zz_deps.pth").write_text("\n".join(deps) + "\n")
        return python

    def mypy(python: Path) -> subprocess.CompletedProcess[str]:
        return _run(python, "-m", "mypy", "--strict", "--no-incremental", "app.py", cwd=user, check=False)

    pyright = shutil.which("pyright")
    if pyright is not None and _run(pyright, "--version", cwd=user, check=False).returncode != 0:
        pyright = None  # installed, but its Node.js part could not be set up here

    def pyright_errors(python: Path) -> int | None:
        if pyright is None:
            return None
        done = _run(pyright, "--pythonpath", python, "--outputjson", "app.py", cwd=user, check=False)
        return int(json.loads(done.stdout)["summary"]["errorCount"])

    wheel_py = venv("wheel")
    _run(wheel_py, "-m", "pip", "install", "-q", "--no-deps", wheels[0], cwd=tmp_path)
    done = mypy(wheel_py)
    assert done.returncode == 0, done.stdout
    assert pyright_errors(wheel_py) in (0, None)

    strict_py = venv("strict")  # the README's development install
    _run(strict_py, "-m", "pip", "install", "-q", "--no-deps", "-e", src, "--config-settings",
         "editable_mode=strict", cwd=tmp_path)
    done = mypy(strict_py)
    assert done.returncode == 0, done.stdout
    assert pyright_errors(strict_py) in (0, None)

    hook_py = venv("hook")  # setuptools' default editable mode: an import hook mypy cannot follow
    _run(hook_py, "-m", "pip", "install", "-q", "--no-deps", "-e", src, cwd=tmp_path)
    done = mypy(hook_py)
    assert done.returncode != 0 and MISSING in done.stdout
    assert pyright_errors(hook_py) != 0  # "Import "binance_typed" could not be resolved"
