"""Named exceptions. Every message says what went wrong and how to fix it."""


class QoljetimError(Exception):
    """Base class: the CLI and the app turn these into a plain message, never a traceback."""


class SkipFile(QoljetimError):
    """A file that cannot be indexed; the build reports the reason and goes on with the rest."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class IndexMissingError(QoljetimError):
    def __init__(self, index_dir):
        super().__init__(
            f"No index found in {index_dir}. Build it first: python -m indexer build --index {index_dir}"
        )


class IndexCorruptError(QoljetimError):
    def __init__(self, index_dir, detail: str):
        super().__init__(
            f"The index in {index_dir} is damaged ({detail}). "
            f"Rebuild it: python -m indexer build --index {index_dir} --full"
        )


class IndexFormatError(QoljetimError):
    def __init__(self, index_dir, found, wanted, change: str = ""):
        why = f" ({change})" if change else ""
        super().__init__(
            f"The index in {index_dir} was written in format {found}; this version reads format {wanted}{why}. "
            f"Rebuild it: python -m indexer build --index {index_dir} --full"
        )


class ModelMismatchError(QoljetimError):
    def __init__(self, index_model: str, wanted_model: str, index_dir):
        super().__init__(
            f"The index in {index_dir} was built with {index_model}, but the configured embedder is "
            f"{wanted_model}. Rebuild the index with the configured embedder: "
            f"python -m indexer build --index {index_dir} --full"
        )


class IndexLockedError(QoljetimError):
    def __init__(self, index_dir):
        super().__init__(
            f"Another build of {index_dir} is running. Wait for it to finish, then try again "
            "(if no build is running, delete the file .build.lock in that folder)."
        )


class EmbedderUnavailableError(QoljetimError):
    """The chosen embedding backend cannot be loaded offline."""


class ConfigError(QoljetimError):
    """A setting has a value the program cannot use."""
