"""Progress bars on stderr for long runs (tqdm): shown on a terminal once a stage has taken two
seconds, never in a pipe or a log unless asked for."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tqdm import tqdm

DELAY_SECONDS = 2.0


class Progress:
    """enabled: True (always), False (never) or None (when stderr is a terminal, after a delay)."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.forced = enabled is True
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    @contextmanager
    def stage(self, name: str, total: int | None, unit: str = "article") -> Iterator[tqdm]:
        bar = tqdm(total=total, desc=f"newskg: {name}", unit=unit, file=sys.stderr, disable=not self.enabled,
                   delay=0 if self.forced else DELAY_SECONDS, dynamic_ncols=True, mininterval=0.2)
        try:
            yield bar
        finally:
            bar.close()
