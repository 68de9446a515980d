"""Writes generated seed files into corpus/<target>/, or checks them (--check).

Shared by the make_*_seeds.py scripts: the committed files must be exactly
what the generator writes, so ci/test.sh runs each generator with --check.
"""
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def write_or_check(target, seeds, check):
    """Writes {name: bytes} into corpus/<target>/; with check, lists files that
    differ instead. Returns how many differ."""
    out = HERE / target
    out.mkdir(exist_ok=True)
    bad = 0
    for name, data in sorted(seeds.items()):
        path = out / name
        if check:
            if not path.exists() or path.read_bytes() != data:
                print(f"differs: {path.relative_to(HERE.parent)}")
                bad += 1
        else:
            path.write_bytes(data)
    if not check:
        print(f"{target}: {len(seeds)} seeds")
    return bad


def main(target, seeds):
    """The whole command line of a generator with one target."""
    sys.exit(1 if write_or_check(target, seeds, "--check" in sys.argv) else 0)
