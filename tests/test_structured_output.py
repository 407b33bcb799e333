"""JSON per technique through the results store."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.data import load_tickets
from prompt_vs_finetune.prompting.structured_output import (
    measure_technique,
    measure_techniques,
)


def test_measure_is_cached(tiny_lm, tmp_cache):
    examples = load_tickets().test[:2]
    first = measure_technique(tiny_lm, examples, "schema", max_new_tokens=4)
    again = measure_technique(tiny_lm, examples, "schema", max_new_tokens=4)
    assert first["_cached"] is False and again["_cached"] is True
    assert first["n"] == 2 and len(first["records"]) == 2 and "raw" in first["records"][0]
    table = measure_techniques(tiny_lm, examples, ["schema", "prefill"], max_new_tokens=4)
    assert table.column("technique") == ["schema", "prefill"]
    with pytest.raises(ValueError):
        measure_technique(tiny_lm, examples, "telepathy")
