"""storyline's errors, one tree. Messages carry a code, like ``[E101] …``.

::

    StorylineError
    ├── InputError            an input (file, URL, feed, record) could not be turned into an article
    │   ├── UnreadableInput      missing, unreadable, a directory where a file was expected   E101
    │   ├── BinaryInput          bytes that are not text                                      E102
    │   ├── DecodeError          no encoding decodes the bytes                                 E103
    │   ├── EmptyInput           nothing left after cleaning                                   E104
    │   ├── TooLarge             over the configured size cap                                  E105
    │   ├── MalformedInput       malformed HTML, feed, JSON/JSONL record, WARC                 E106
    │   ├── FetchError           a URL could not be fetched (dead, refused, timeout, status)   E107
    │   └── UnsupportedInput     a scheme or file kind storyline does not read                 E108
    ├── ConfigError           a bad config, sidecar, taxonomy or override file               E201
    ├── StoreError            the store cannot be opened, migrated or written               E301
    │   └── NotFound             no such article or object                                     E302
    ├── UsageError            a command was called wrongly                                  E401
    └── ScratchError          a temporary file (the linked views' spill file) cannot be     E601
                              made, written or read: the directory and the reason

The CLI turns these into messages and exit codes at the edge (1 for input errors in
a batch, 2 for usage errors); the library raises them and never prints.
"""

from __future__ import annotations


class StorylineError(Exception):
    code = "E000"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(f"[{self.code}] {message}")


class InputError(StorylineError):
    """An input could not be turned into an article; ``origin`` names it."""

    code = "E100"
    # set when what failed had a fallback that was stored instead (a feed entry whose page could not
    # be fetched, stored from the feed's own text): worth a note, not a failure
    recovered: bool = False

    def __init__(self, origin: str, problem: str) -> None:
        self.origin = origin
        self.problem = problem
        super().__init__(f"{origin}: {problem}")


class UnreadableInput(InputError):
    code = "E101"


class BinaryInput(InputError):
    code = "E102"


class DecodeError(InputError):
    code = "E103"


class EmptyInput(InputError):
    code = "E104"


class TooLarge(InputError):
    code = "E105"


class MalformedInput(InputError):
    code = "E106"


class FetchError(InputError):
    code = "E107"


class UnsupportedInput(InputError):
    code = "E108"


class ConfigError(StorylineError):
    code = "E201"

    def __init__(self, path: str, problem: str, *, line: int | None = None, field: str | None = None) -> None:
        self.path = path
        self.line = line
        self.field = field
        where = path
        if line is not None:
            where += f":{line}"
        if field:
            where += f" ({field})"
        super().__init__(f"{where}: {problem}")


class StoreError(StorylineError):
    code = "E301"


class NotFound(StoreError):
    code = "E302"


class UsageError(StorylineError):
    code = "E401"


class ScratchError(StorylineError):
    """Scratch space on disk failed; ``directory`` names where it was, the message says why."""

    code = "E601"

    def __init__(self, directory: str, problem: str) -> None:
        self.directory = directory
        self.problem = problem
        super().__init__(f"{directory}: {problem}")
