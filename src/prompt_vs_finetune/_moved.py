"""Where each module of the first version of the library lives now.

A learner's old notebook may still say ``from prompt_vs_finetune.kshot import ...``.
``prompt_vs_finetune.__getattr__`` and the import hook below answer such an import with
an ImportError that names the new place, instead of re-exporting the old name.
"""

from __future__ import annotations

import importlib.abc
import sys

MOVED: dict[str, str] = {
    "cachefiles": "store.cachefiles",
    "cascade": "hybrid.cascade",
    "case_studies": "decision.case_studies",
    "checkpoints": "finetune.checkpoints",
    "comparisons": "measure.sweeps",
    "compression": "prompting.compression",
    "consistency_study": "measure.consistency",
    "costs": "economics.costs",
    "course_runs": "finetune.recipes",
    "datasets": "data",
    "datasets.base": "data.task",
    "datasets.tickets": "data.tickets",
    "datasets.tweets": "data.tweets",
    "decision": "decision.advice",
    "doctor": "cli.doctor",
    "domain_knowledge": "measure.per_label",
    "exercise_builder": "cli.exercise_builder",
    "extraction": "prompting.extraction",
    "finetune": "finetune.training",
    "generation": "model.generation",
    "hybrid": "hybrid.context",
    "kshot": "measure.sweeps",
    "latency_study": "measure.latency",
    "ledger": "claims.ledger",
    "measured_inputs": "economics.measured",
    "metrics": "measure.metrics",
    "models": "model.loading",
    "paths": "store.paths",
    "prewarm": "cli.prewarm",
    "probes": "measure.probes",
    "prompt_iteration": "prompting.versions",
    "prompt_variants": "prompting.variants",
    "prompts": "prompting.fewshot",
    "results": "store.results",
    "risk": "finetune.risk",
    "roi": "economics.roi",
    "roi_comparison": "economics.roi_inputs",
    "scaling": "economics.scaling",
    "scoring": "measure.scoring",
    "seeding": "model.seeding",
    "structured_output": "prompting.structured_output",
    "tables": "ui.tables",
    "token_costs": "economics.tokens",
    "training_diagnosis": "finetune.diagnosis",
    "training_plots": "finetune.plots",
    "weightdiff": "measure.weights",
    "what_changes": "measure.what_changes",
    "widgets": "ui.widgets",
    "workspace": "cli.workspace",
}

#: Old module names that are now subpackages of the same name (their ``__init__`` exports
#: the public names the old module had), so imports of them keep working.
STILL_PACKAGES = frozenset({"decision", "finetune", "hybrid"})


#: Old modules whose names were split between several new places.
ALSO: dict[str, str] = {
    "costs": "Prices and every default price are in economics.assumptions; "
    "the cost plots are in economics.plots.",
    "kshot": "Scoring one prompt is measure.evaluate.evaluate.",
    "comparisons": "Scoring one prompt is measure.evaluate.evaluate.",
    "scoring": "Notebooks score a prompt with measure.evaluate.evaluate.",
    "prompt_iteration": "Measuring prompt versions is prompting.iteration.measure_versions.",
}


def message(old: str) -> str:
    """The error text for an import of the old module ``prompt_vs_finetune.<old>``."""
    also = f" {ALSO[old]}" if old in ALSO else ""
    return (
        f"prompt_vs_finetune.{old} moved to prompt_vs_finetune.{MOVED[old]} "
        f"(the library is now organised by idea; see ARCHITECTURE.md). "
        f"Change the import to: from prompt_vs_finetune.{MOVED[old]} import ...{also}"
    )


class MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Turns an import of a moved module into an ImportError naming its new place."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: D102
        prefix = "prompt_vs_finetune."
        old = fullname[len(prefix) :] if fullname.startswith(prefix) else None
        if old in MOVED and old not in STILL_PACKAGES:
            raise ImportError(message(old), name=fullname)
        return None


def install() -> None:
    """Put the finder in front of the import system once."""
    if not any(isinstance(f, MovedModuleFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, MovedModuleFinder())
