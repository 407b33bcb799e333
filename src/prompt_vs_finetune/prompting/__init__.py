"""Prompts: few-shot prompts, wording variants, prompt versions, compression, JSON output."""
