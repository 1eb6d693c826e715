"""No catastrophic backtracking: every regular expression in the package, run over adversarial inputs
(long runs of what almost matches), finishes. A child process does the work and names each pattern
before it runs it, so a hang is reported by name instead of hanging the suite."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r'''
import importlib, pkgutil, re, sys
import dashboard

def patterns():
    seen = {}
    for info in pkgutil.walk_packages(dashboard.__path__, "dashboard."):
        if info.name.endswith(("__main__", "wsgi")):
            continue  # running the command line or making a server is no pattern
        try:
            module = importlib.import_module(info.name)
        except Exception as err:
            print("IMPORT-FAILED", info.name, err, flush=True)
            continue
        stack = [(f"{info.name}.{k}", v) for k, v in vars(module).items()]
        while stack:
            name, value = stack.pop()
            if isinstance(value, re.Pattern):
                seen.setdefault(id(value), (name, value))
            elif isinstance(value, (list, tuple)) and len(value) < 5000:
                stack.extend((f"{name}[{i}]", v) for i, v in enumerate(value))
            elif isinstance(value, dict) and len(value) < 5000:
                stack.extend((f"{name}[{k!r}]", v) for k, v in value.items())
            elif hasattr(value, "__dict__") and type(value).__module__ == info.name and not isinstance(value, type):
                stack.extend((f"{name}.{k}", v) for k, v in vars(value).items() if isinstance(v, (re.Pattern, list, tuple)))
    return list(seen.values())

N = 6000
ADVERSARIAL = [
    "a" * N, "A" * N, " " * N, "1" * N, "1," * (N // 2), "1 " * (N // 2), ". " * (N // 2), "-" * N, "—" * N,
    "Aa " * (N // 3), "Al-" * (N // 3), "al " * (N // 3), "January " * (N // 8), "Jan. " * (N // 5),
    "the " * (N // 4), "of the " * (N // 7), "< " * (N // 2), "<a " * (N // 3), "&#" * (N // 2), "[" * N,
    "http://" + "a" * N, "www." + "a/" * (N // 2), "$" + "1," * (N // 2), "12:" * (N // 3), "2017-" * (N // 5),
    "1/" * (N // 2), "\n" * N, "\n \n" * (N // 3), "'s " * (N // 3), "’" * N, "\u200b" * N, "ا" * N,
    "Mr. " * (N // 4), "U.S." * (N // 4), "Saint-" * (N // 6), "New York " * (N // 9), "said " * (N // 5),
    "in " * (N // 3), "early late mid " * (N // 15), "last next this " * (N // 15), "*_" * (N // 2),
    "A" * N + "!", "1" * N + "x", " " * N + "x", "a " * (N // 2) + "@",
]

found = patterns()
print("PATTERNS", len(found), flush=True)
for name, pattern in found:
    print("RUN", name, flush=True)
    for text in ADVERSARIAL:
        for _ in pattern.finditer(text):  # its first step is the search from each start position
            pass
print("DONE", flush=True)
'''


def test_every_pattern_finishes_on_adversarial_input():
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, cwd=ROOT, timeout=600)
    except subprocess.TimeoutExpired as err:
        out = (err.stdout or b"").decode() if isinstance(err.stdout, bytes) else (err.stdout or "")
        last = [l for l in out.splitlines() if l.startswith("RUN ")][-1:]
        raise AssertionError(f"a pattern did not finish on adversarial input: {last}") from None
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[-1] == "DONE"
    assert not [l for l in lines if l.startswith("IMPORT-FAILED")]
    assert int(lines[0].split()[1]) > 50  # the walk really found the package's patterns
