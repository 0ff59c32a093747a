"""Durations as people write them in scenarios: ``30d``, ``48h``, ``90 min``, ``20s``, ``1d 12h``, or seconds."""

import re

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
}  # fmt: skip
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")


def parse_duration(value: object) -> float:
    """Seconds in ``value`` (a number is seconds); ValueError names what was not understood."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        if value <= 0:
            raise ValueError(f"a duration must be positive, got {value}")
        return float(value)
    text = str(value).strip().lower()
    pos, total = 0, 0.0
    while pos < len(text):
        match = _PART.match(text, pos)
        if match is None or match.group(2) not in _UNITS:
            raise ValueError(f"not a duration: {value!r} (write e.g. 30d, 48h, 90min, 20s or 1d 12h)")
        total += float(match.group(1)) * _UNITS[match.group(2)]
        pos = match.end()
    if total <= 0:
        raise ValueError(f"a duration must be positive, got {value!r}")
    return total


def duration_words(seconds: float) -> str:
    """Compact, for "observed 2 d 4 h of 30 d": the two largest units, whole numbers."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    parts = []
    for name, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count >= 1:
            parts.append(f"{int(count)} {name}")
        if len(parts) == 2:
            break
    return " ".join(parts) if parts else "0 s"
