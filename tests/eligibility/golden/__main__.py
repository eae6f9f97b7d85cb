"""`python -m tests.eligibility.golden [--write]`: compares the engine with the golden answers, or, with
`--write`, regenerates them (then review `git diff` of cases.json before committing)."""

from __future__ import annotations

import argparse
import sys

from . import GOLDEN_FILE, answer, load, write


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eligibility.golden", description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"regenerate {GOLDEN_FILE.name} from the engine")
    arguments = parser.parse_args()
    if arguments.write:
        sys.stdout.write(f"wrote {write()} cases to {GOLDEN_FILE}\n")
        return 0
    differing = [case["name"] for case in load() if answer(case) != case["answer"]]
    for name in differing:
        sys.stdout.write(f"differs: {name}\n")
    sys.stdout.write(f"{len(differing)} case(s) differ from {GOLDEN_FILE}\n")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
