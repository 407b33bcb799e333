"""Hybrids: a fine-tune plus prompt context (the 2x2), and a cheap-then-strong cascade."""

from prompt_vs_finetune.hybrid.context import cascade_inputs, plot_two_by_two, two_by_two

__all__ = ["cascade_inputs", "plot_two_by_two", "two_by_two"]
