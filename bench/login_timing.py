"""Login timing: an unknown account and a wrong password must take about the same time (no account enumeration).

Run ``python bench/login_timing.py [-n 30]``. It builds a throw-away app in a temporary folder (login throttling
raised out of the way), then times ``Service.authenticate`` and the real ``POST /login`` for an unknown e-mail and
for a known e-mail with a wrong password, interleaved, and prints the medians and their ratio. Without the dummy
hash in ``Service.authenticate`` the unknown account answers in well under a millisecond against ~70 ms for a
wrong password (scrypt); with it the ratio stays close to 1. Kept out of the test suite because timings on a
shared CI machine are noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "correct horse battery staple"  # noqa: S105 - a throw-away benchmark account


def main() -> int:
    """Measure and print; exit 1 when the medians differ by more than 25 %."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", type=int, default=30, help="attempts of each kind")
    args = parser.parse_args()

    from repository import create_app
    from repository import protocol
    from repository.services import Service

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATA_DIR": tmp,
                "INDEX_MODE": "sync",
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_LOGIN_PER_ADDRESS": "100000 per minute",
                "RATELIMIT_LOGIN_PER_ACCOUNT": "100000 per minute",
            }
        )
        app.test_cli_runner().invoke(args=["init"])
        service = Service(app.extensions["repo"], app.extensions["db_sessionmaker"](), ip="bench")
        service.accounts.create_org(protocol.SYSTEM, "BENCH", "Benchmark")
        service.accounts.create_user(protocol.SYSTEM, "known@bench.example.org", "BENCH", "partner", PASSWORD)
        client = app.test_client()
        cases = {"unknown account": "ghost@bench.example.org", "wrong password": "known@bench.example.org"}
        times: dict[str, dict[str, list[float]]] = {k: {"service": [], "http": []} for k in cases}
        for _ in range(args.n):
            for label, email in cases.items():
                start = time.perf_counter()
                service.accounts.authenticate(email, "not the right password")
                times[label]["service"].append(time.perf_counter() - start)
                start = time.perf_counter()
                client.post("/login", data={"email": email, "password": "not the right password"})
                times[label]["http"].append(time.perf_counter() - start)
        app.extensions["repo"].worker.stop()

    worst = 1.0
    print(f"{'case':<18} {'service median ms':>18} {'POST /login median ms':>22}")
    medians = {}
    for label, series in times.items():
        medians[label] = {k: statistics.median(v) * 1000 for k, v in series.items()}
        print(f"{label:<18} {medians[label]['service']:>18.1f} {medians[label]['http']:>22.1f}")
    for kind in ("service", "http"):
        a, b = medians["unknown account"][kind], medians["wrong password"][kind]
        ratio = max(a, b) / min(a, b)
        worst = max(worst, ratio)
        print(f"ratio ({kind}): {ratio:.2f}")
    return 0 if worst <= 1.25 else 1


if __name__ == "__main__":
    raise SystemExit(main())
