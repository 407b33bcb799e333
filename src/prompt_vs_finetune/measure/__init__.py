"""Measuring: the one evaluation path, the label-scoring engine, metrics and intervals,
consistency, latency, weight differences and the general-ability probe."""
