"""One-off, re-runnable rewrite: hand-written model fields annotated ``Decimal`` instead of ``DecimalStr``.

    python scripts/plain_decimal_annotations.py          # rewrite the files in place
    python scripts/plain_decimal_annotations.py --check  # exit 1 if a file still needs it

Editors show a field's annotation as written, so ``price: DecimalStr`` showed ``DecimalStr``. The
models' base now gives every Decimal the plain-notation serializer (``PlainDecimals`` in
``binance_typed/models/_base.py``), so the alias is no longer needed on fields. For each
hand-written model module this script:

1. replaces the name ``DecimalStr`` by ``Decimal`` and drops it from the ``_base`` import;
2. makes sure ``from decimal import Decimal`` is imported;
3. for pydantic models that do not derive from ``BinanceModel`` (the stream and user-data events),
   adds ``PlainDecimals`` in front of ``BaseModel`` in their bases;
4. sorts the imports with the pinned ruff.

The generated /sapi models get the same through ``scripts/_gen_sapi.py``. Running it twice
changes nothing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "binance_typed" / "models"
FILES = [
    MODELS / "market.py",
    MODELS / "filters.py",
    MODELS / "account.py",
    MODELS / "trade.py",
    MODELS / "events" / "market.py",
    MODELS / "events" / "user_data.py",
]
_BASE_IMPORT = re.compile(r"^from (\.+_base) import (.+)$", re.M)


def rewrite(text: str) -> str:
    if "DecimalStr" not in text and not re.search(r"^class \w+\(BaseModel\):", text, re.M):
        return text
    text = re.sub(r"\bDecimalStr\b", "Decimal", text)

    def fix_import(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(2).split(",")]
        names = [n for n in names if n != "Decimal"]
        if re.search(r"^class \w+\((?:PlainDecimals, )?BaseModel\):", text, re.M) and "PlainDecimals" not in names:
            names.append("PlainDecimals")
        return f"from {match.group(1)} import {', '.join(sorted(dict.fromkeys(names)))}"

    text = _BASE_IMPORT.sub(fix_import, text, count=1)
    text = re.sub(r"^(class \w+)\(BaseModel\):", r"\1(PlainDecimals, BaseModel):", text, flags=re.M)
    if re.search(r"\bDecimal\b", text) and not re.search(r"^from decimal import .*\bDecimal\b", text, re.M):
        if re.search(r"^from decimal import ", text, re.M):
            text = re.sub(r"^from decimal import (.+)$", r"from decimal import Decimal, \1", text, count=1, flags=re.M)
        else:
            text = text.replace("from __future__ import annotations\n", "from __future__ import annotations\n\nfrom decimal import Decimal\n", 1)
    return text


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    from generate import formatter

    ruff = formatter()
    stale = []
    for path in FILES:
        old = path.read_text()
        new = rewrite(old)
        if new != old:
            # imports only: the modules are hand-formatted, so only sort the import block
            done = subprocess.run(
                [ruff, "check", "--fix", "--select", "I", "--quiet", "--exit-zero", "--stdin-filename", str(path), "-"],
                input=new, capture_output=True, text=True, check=True, cwd=ROOT,
            )
            new = done.stdout
        if new != old:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(new)
    for path in stale:
        print(("needs rewrite: " if "--check" in argv else "rewrote: ") + str(path.relative_to(ROOT)))
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
