"""Run every benchmark script in bench/ (each prints its own table); `make bench`."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["magazine.py", "members.py", "services.py", "showcase.py", "load.py"]

failed = []
for name in ORDER + sorted(p.name for p in HERE.glob("*.py") if p.name not in ORDER + ["run_all.py", "common.py"]):
    script = HERE / name
    if not script.exists():
        continue
    print(f"\n## {name}\n", flush=True)
    if subprocess.run([sys.executable, str(script)], cwd=HERE.parent).returncode != 0:
        failed.append(name)
if failed:
    sys.exit(f"benchmarks failed: {', '.join(failed)}")
