"""Region names from the registering administrative division in a credit code.

Characters 3–8 of a unified social credit code are the division code
(GB/T 2260); python-stdnum ships the division table.
"""

import re
from functools import lru_cache

from stdnum import numdb

_YEARS = re.compile(r"^\[[^\]]*\]")


def _clean(name: str) -> str:
    """The current name: numdb lists renamings as "城区,[1993-2004]秀城区,[2005-]南湖区"."""
    return _YEARS.sub("", (name or "").split(",")[-1])


def region_for_code(credit_code: str) -> tuple[str, str]:
    """(division code, "浙江省 杭州市 …" name) for a credit code; ("", "") if unknown."""
    division = (credit_code or "")[2:8]
    if len(division) != 6 or not division.isdigit():
        return "", ""
    parts = []
    for prefix, code in ((division[:2], division[:2] + "0000"), (division[:4], division[:4] + "00"), (division, division)):
        info = numdb.get("cn/loc").info(code)
        if len(info) > 1 and info[1][1]:
            name = _clean(next(iter(info[1][1].values())))
        elif info and info[0][1]:
            name = _clean(next(iter(info[0][1].values())))
        else:
            name = ""
        if name and name not in parts and not (prefix == division and code.endswith("00")):
            parts.append(name)
    province = parts[0] if parts else ""
    if not province:
        return division, ""
    return division, " ".join(parts)


@lru_cache(maxsize=512)
def city_name(prefix: str) -> str:
    """Name of the prefecture-level division whose code starts with the 4 digits `prefix`."""
    _division, name = region_for_code(f"00{prefix[:4]}00")
    parts = name.split(" ") if name else []
    if not parts:
        return prefix
    return parts[0] if parts[-1] in ("市辖区", "县", "省直辖县级行政区划") else parts[-1]
