"""Model backends behind one protocol (base): OpenAI-compatible HTTP, embedded local model, rules."""
