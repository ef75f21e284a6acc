"""The OpenAI-compatible backend: openai SDK + instructor (backend), aiohttp transport (http), retry policy."""
