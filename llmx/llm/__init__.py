"""Model backends: OpenAI-compatible HTTP (openai + instructor), embedded local model, rules."""
