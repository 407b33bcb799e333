"""The C9 rule: can few-shot prompting compete with the fine-tune?"""

from __future__ import annotations

import pytest

from prompt_vs_finetune.measure.kshot import verdict_for_c9


@pytest.mark.parametrize(
    ("prompt", "tuned", "verdict"),
    [
        (0.80, 0.82, "supported"),
        (0.85, 0.80, "supported"),
        (0.74, 0.82, "partly"),
        (0.5, 0.9, "not at this scale"),
    ],
)
def test_verdict_for_c9(prompt, tuned, verdict):
    assert verdict_for_c9(prompt, tuned)[0] == verdict
