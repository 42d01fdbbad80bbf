"""The one error type every stage raises for bad input: it names the file and the line."""


class SourceError(Exception):
    """A problem in one input file, at one line (1-based; 0 when it concerns the whole file)."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message

    def __reduce__(self):  # pickled by the build cache and by worker processes
        return SourceError, (self.path, self.line, self.message)

    def __lt__(self, other: "SourceError") -> bool:
        return (self.path, self.line, self.message) < (other.path, other.line, other.message)


class BuildError(Exception):
    """The build as a whole cannot go on; `errors` are the input problems, if any."""

    def __init__(self, message: str, errors: tuple[SourceError, ...] = ()):
        super().__init__(message)
        self.errors = errors
