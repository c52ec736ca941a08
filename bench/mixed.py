#!/usr/bin/env python
"""Scoped invalidation under a mixed load (issue #16): reads of every public page family while one write a
second of each kind lands, and the page cache's hit ratio per family.

    DATABASE_URL=… CACHE_URL=redis://… python bench/mixed.py [--seconds 20] [--json PATH]

gunicorn (2 workers, page cache on) serves the pages; 10 client threads read them round-robin (keep-alive,
X-Page-Cache header counted); a writer process saves, once a second each: an article published again
(magazine), a membership row (what a payment, an admission or a lapse writes: members), a notice entry
(what an objection holding a unit writes: showcase), a service item (services). With one global version every
write emptied every family; scoped, a family's pages are dropped only by its own writes.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, GunicornServer, markdown_table, production_env

WRITER = r"""
import sys, time
import django
django.setup()
from django.db import transaction
from members.models import Membership
from portal.magazine.models import ArticlePage
from portal.services.models import ServiceItem
from showcase.awards.models import NoticeEntry

seconds = float(sys.argv[1])
article = ArticlePage.objects.live().order_by("-path").first()
membership = Membership.objects.filter(status="active").first()
entry = NoticeEntry.objects.first()
item = ServiceItem.objects.first()
done = {"magazine": 0, "members": 0, "showcase": 0, "services": 0}
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    started = time.monotonic()
    for family, write in (
        ("magazine", lambda: article.save_revision().publish()),
        ("members", lambda: membership.save()),
        ("showcase", lambda: entry and entry.save()),
        ("services", lambda: item and item.save()),
    ):
        with transaction.atomic():
            write()
        done[family] += 1
    time.sleep(max(0.0, 1 - (time.monotonic() - started)))
print(done)
"""


def families(urls: dict) -> dict[str, list[str]]:
    return {
        "magazine": [urls["home"], urls["archive"], urls["issue"], urls["article"], urls["search"]],
        "members": ["/members/", "/members/?page=2", "/members/?page=3"],
        "showcase": ["/showcase/units/", "/showcase/notices/"],
        "services": ["/services/"],
    }


def reader(port: int, paths: list[tuple[str, str]], deadline: float, counts: Counter, errors: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while time.monotonic() < deadline:
        family, path = paths[n % len(paths)]
        n += 1
        try:
            conn.request("GET", quote(path, safe="/?=&%:+"), headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
        except OSError as exc:
            errors.append(str(exc))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if response.status != 200:
            errors.append(f"{path}: {response.status}")
        counts[(family, response.getheader("X-Page-Cache") or "-")] += 1
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)) * 3)
    parser.add_argument("--json")
    args = parser.parse_args()
    out = subprocess.run([PYTHON, "bench/scale.py", "--urls"], cwd=ROOT, env=dict(os.environ), check=True,
                         capture_output=True, text=True).stdout
    urls = json.loads(out.strip().splitlines()[-1])
    by_family = families(urls)
    paths = [(family, path) for family, ps in by_family.items() for path in ps]
    static_root = os.environ.get("BENCH_STATIC_ROOT") or None
    counts, errors = Counter(), []
    with GunicornServer(workers=2, env_extra={"PORTAL_PAGE_CACHE_SECONDS": 300}, static_root=static_root) as server:
        for _family, path in paths:  # fill the cache
            reader(server.port, [("warm", path)], time.monotonic() + 0.2, Counter(), [])
        writer = subprocess.Popen([PYTHON, "-c", WRITER, str(args.seconds)], cwd=ROOT,
                                  env=production_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=reader, args=(server.port, paths[i:] + paths[:i], deadline, counts, errors))
                   for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        writes = writer.communicate(timeout=120)[0].strip().splitlines()
    rows, report = [], []
    for family in by_family:
        hits, misses = counts[(family, "hit")], counts[(family, "miss")]
        total = sum(n for (f, _h), n in counts.items() if f == family)
        ratio = hits / total if total else 0.0
        report.append({"family": family, "requests": total, "hits": hits, "misses": misses, "ratio": ratio})
        rows.append([family, total, hits, misses, f"{ratio:.1%}"])
    print(f"\nMixed load: {args.seconds:g} s, 10 reader threads, writes per family: {writes[-1] if writes else '?'}\n")
    print(markdown_table(["family", "requests", "hits", "misses", "hit ratio"], rows))
    if errors:
        print(f"{len(errors)} errors, e.g. {errors[:3]}")
    if args.json:
        Path(args.json).write_text(json.dumps({"families": report, "writes": writes[-1:] if writes else [],
                                               "errors": len(errors)}, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
