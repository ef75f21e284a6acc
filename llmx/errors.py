"""Exceptions users can catch. Messages say what was wrong and what to do."""


class LLMXError(Exception):
    """Base class for every error llmx raises on purpose."""


class InputError(LLMXError, ValueError):
    """The document cannot be extracted as given (empty, binary, not UTF-8, ...)."""


class ConfigError(LLMXError):
    """A backend, model, template or schema was configured wrongly."""


class BackendError(LLMXError):
    """The model backend failed after all transport retries."""


class ExtractionError(LLMXError):
    """The model kept returning records that fail validation after all re-asks."""
