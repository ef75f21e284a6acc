"""Gold-free coverage audit of the recognizers: python scripts/audit.py DIR [--out F] [--sample N].

Thin wrapper over `llmx.evaluate.audit.main` (to be wired as `llmx audit DIR`).
"""

from __future__ import annotations

import sys

from llmx.evaluate.audit import main

if __name__ == "__main__":
    sys.exit(main())
