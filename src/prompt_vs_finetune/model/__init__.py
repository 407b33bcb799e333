"""The model: loading (embedded SmolLM2 or any Hugging Face model), generation, tokens, seeds."""
