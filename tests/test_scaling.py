"""Scaling lesson helpers: volume bills, break-even, use cases, update cycle."""

from __future__ import annotations

import pytest

from prompt_vs_finetune.economics import scaling
from prompt_vs_finetune.economics.assumptions import Prices
from prompt_vs_finetune.economics.costs import cost_per_request

MEASURED = {
    "prompt_tokens_in": 510.0,
    "tuned_tokens_in": 79.0,
    "tokens_out": 2.0,
    "train_seconds": 90.0,
    "prompt_update_seconds": 0.004,
    "adapter_bytes": {"category": 3_700_000, "queue": 3_700_000, "priority": 3_800_000},
    "full_model_bytes": 538_000_000,
}


def test_volume_table_grows_in_step_with_volume():
    rows = scaling.volume_table(MEASURED, volumes=[1_000, 10_000, 100_000])
    assert rows[0]["growth"] is None
    assert [r["growth"] for r in rows[1:]] == pytest.approx([10.0, 10.0])
    steeper = cost_per_request(510, 2) / cost_per_request(79, 2, tuned=True)
    assert rows[0]["prompting_over_tuned"] == pytest.approx(steeper)
    assert all(r["prompting"] > r["fine_tuned"] for r in rows)


def test_break_even_matches_the_formula():
    p = Prices()
    saving = cost_per_request(510, 2, p) - cost_per_request(79, 2, p, tuned=True)
    expected = scaling.upfront(MEASURED, p).total / (12 * saving)
    assert scaling.break_even_volume(MEASURED, p) == pytest.approx(expected)
    same_tokens = {**MEASURED, "tuned_tokens_in": 510.0}
    assert scaling.break_even_volume(same_tokens) is None


def test_size_and_use_case_tables_use_the_measured_sizes():
    sizes = scaling.size_table(MEASURED)
    assert sizes[-1]["share_of_full"] == 1.0
    assert sizes[0]["megabytes"] == pytest.approx(3.7)
    rows = scaling.use_case_table(MEASURED, counts=[1, 10])
    assert rows[0]["monthly_saving"] == pytest.approx(
        rows[0]["full_monthly"] - rows[0]["adapter_monthly"]
    )
    assert rows[1]["full_deployments"] == 10 and rows[1]["adapter_deployments"] == 1
    assert rows[1]["monthly_saving"] > rows[0]["monthly_saving"]


def test_update_cycle_compares_edit_and_retrain():
    rows = scaling.update_cycle(MEASURED)
    assert [r["change"] for r in rows] == ["edit the prompt", "retrain the fine-tune"]
    assert rows[1]["times_slower"] == pytest.approx(90 / 0.004)


def test_mean_adapter_bytes_needs_an_adapter():
    with pytest.raises(ValueError, match="empty"):
        scaling.mean_adapter_bytes({"adapter_bytes": {}})
