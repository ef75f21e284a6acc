"""Many documents: extract_many (run), worker processes, journal, rate limits and the OpenAI Batch API."""
