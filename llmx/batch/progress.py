"""The batch progress bar: a rich bar on stderr (or nothing) with rate, ETA, retries and failures."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.progress import Task as ProgressTask
from rich.progress import TimeRemainingColumn
from rich.text import Text


class _RateColumn(ProgressColumn):
    def render(self, task: ProgressTask) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} docs/s" if speed else "-- docs/s", style="progress.data.speed")


class ProgressBar:
    """A rich progress bar on stderr (or nothing) showing rate, ETA, retries and failures."""

    def __init__(self, total: int, enabled: bool) -> None:
        self._bar: Progress | None = None
        self.retries = self.failed = self.skipped = 0
        if enabled:
            self._bar = Progress(
                TextColumn("[bold]extract"),
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[status]}"),
                console=Console(stderr=True),
                transient=False,
            )
            self._task = self._bar.add_task("extract", total=total, status="")

    def __enter__(self) -> "ProgressBar":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, *, retries: int = 0, failed: bool = False, skipped: bool = False) -> None:
        self.retries += retries
        self.failed += failed
        self.skipped += skipped
        if self._bar is not None:
            status = f"retries {self.retries}  failed {self.failed}" + (f"  skipped {self.skipped}" if self.skipped else "")
            self._bar.update(self._task, advance=1, status=status)
