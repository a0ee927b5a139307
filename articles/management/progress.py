"""Progress output for long-running commands.

On a terminal it redraws one bar line; otherwise (logs, CI) it writes one
line per step, so output stays readable when captured.
"""

from __future__ import annotations

from typing import Protocol


class Stream(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


class Progress:
    def __init__(self, stream: Stream, total: int | None, *, label: str = "", width: int = 30):
        # Django's OutputWrapper appends a newline to every write; the bar needs raw writes.
        self.stream: Stream = getattr(stream, "_out", stream)
        self.total = total
        self.label = label
        self.width = width
        self.done = 0
        self.tty = bool(getattr(stream, "isatty", lambda: False)())

    def step(self, message: str = "") -> None:
        self.done += 1
        if self.tty and self.total:
            filled = int(self.width * self.done / self.total)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{self.label}[{bar}] {self.done}/{self.total} {message[:60]:<60}")
            if self.done >= self.total:
                self.stream.write("\n")
        else:
            of_total = f"/{self.total}" if self.total else ""
            self.stream.write(f"{self.label}[{self.done}{of_total}] {message}\n")
        self.stream.flush()
