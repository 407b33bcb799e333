"""Intervals and paired tests against values worked out by hand or in textbooks."""

import pytest

from prompt_vs_finetune.claims.verdict import (
    CONTRADICTED,
    INCONCLUSIVE,
    SUPPORTED,
    status_of,
    status_over_range,
)
from prompt_vs_finetune.measure.intervals import items_to_settle, paired, rate


def test_wilson_interval_matches_known_values():
    half = rate(5, 10)
    assert half.value == 0.5
    assert (round(half.low, 4), round(half.high, 4)) == (0.2366, 0.7634)
    none = rate(0, 10)
    assert none.low == 0 and round(none.high, 4) == 0.2775
    assert rate([1, 0, 1, 1]) == rate(3, 4)


def test_rate_refuses_what_is_not_a_rate():
    with pytest.raises(ValueError, match="between 0 and n"):
        rate(11, 10)
    with pytest.raises(ValueError, match="positive whole number"):
        rate(0, 0)
    with pytest.raises(ValueError, match="only 0/1"):
        rate([0, 2, 1])
    with pytest.raises(TypeError, match="list of 0/1"):
        rate("1011")


def test_mcnemar_exact_p_value_from_discordant_items():
    # A right on 9 items B misses, B right on 1 item A misses, 10 items both right:
    # two-sided exact binomial p = 2 * (1 + 10) / 2**10.
    a = [1] * 9 + [0] + [1] * 10
    b = [0] * 9 + [1] + [1] * 10
    result = paired(a, b)
    assert (result.a_only, result.b_only, result.n) == (9, 1, 20)
    assert result.p_value == pytest.approx(22 / 1024)
    assert result.difference == pytest.approx(-0.4)
    assert result.low < result.difference < result.high < 0


def test_paired_interval_is_seeded_and_degenerate_when_all_items_agree():
    a = [1, 0, 1, 0, 1, 1, 0, 0] * 5
    b = [1, 1, 1, 0, 0, 1, 1, 0] * 5
    assert paired(a, b) == paired(a, b)
    same = paired(a, a)
    assert (same.difference, same.low, same.high, same.p_value) == (0, 0, 0, 1.0)
    with pytest.raises(ValueError, match="same items"):
        paired(a, b[:-1])


def test_items_to_settle_grows_as_the_difference_shrinks():
    big = paired([0] * 30 + [1] * 70, [1] * 30 + [1] * 70)
    small = paired([0] * 3 + [1] * 3 + [1] * 94, [1] * 3 + [0] * 2 + [1] * 95)
    assert items_to_settle(big) == 100  # already settled: never fewer than measured
    assert items_to_settle(small) > 1000
    assert items_to_settle(paired([1, 0], [1, 0])) is None


@pytest.mark.parametrize(
    ("low", "high", "claimed", "status"),
    [
        (0.01, 0.2, "above", SUPPORTED),
        (-0.2, -0.01, "above", CONTRADICTED),
        (-0.05, 0.1, "above", INCONCLUSIVE),
        (-0.2, -0.01, "below", SUPPORTED),
        (0.0, 0.1, "above", INCONCLUSIVE),  # touching the bar does not clear it
    ],
)
def test_one_rule_turns_an_interval_into_a_status(low, high, claimed, status):
    assert status_of(low, high, claimed=claimed) == status


def test_computed_claims_hold_over_the_whole_range_or_not():
    assert status_over_range(True, True) == SUPPORTED
    assert status_over_range(False, False) == CONTRADICTED
    assert status_over_range(True, False) == INCONCLUSIVE


def test_detectable_difference_inverts_items_to_settle():
    from prompt_vs_finetune.measure.intervals import detectable_difference

    delta = detectable_difference(160, 0.3)
    assert 0.11 < delta < 0.13  # (1.96 + 0.84) * sqrt(0.3 / 160)
    assert detectable_difference(640, 0.3) == pytest.approx(delta / 2)
    with pytest.raises(ValueError):
        detectable_difference(0, 0.3)
