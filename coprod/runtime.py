"""Process-wide tuning for a long-running server with many connections."""

import gc
import resource

# Python's cycle collector, at its defaults, ran a full collection every few seconds once a
# thousand phones were connected, each pausing the whole server for up to 0.4 s (every vote in
# flight waited). Young collections are made rarer, full ones much rarer (docs/performance.md).
GC_THRESHOLDS = (10_000, 20, 100)


def tune_garbage_collector() -> None:
    """Freeze what exists at start-up and collect cycles less often (call once, before serving)."""
    # What exists now (modules, the app, its templates) lives as long as the process: frozen,
    # the collector never scans it again.
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def raise_open_file_limit(wanted: int) -> int:
    """Let the process hold `wanted` open files (sockets), up to the system's hard limit.

    Many systems start processes with a soft limit of 1,024 files: a thousand phones would
    exhaust it before eventlet's own connection cap is reached. Returns the limit now in force.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft
