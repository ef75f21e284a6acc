"""Score extractions against gold annotations."""
