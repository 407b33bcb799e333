"""Interactive explorers for the lessons (ipywidgets), one module per family.

Each explorer is a thin layer over a plain function that tests and notebooks can call
without widgets: ``cost_explorer`` over ``costs.compare_at_volume`` (lessons 02, 09),
``roi_explorer`` over ``roi.roi_curves`` (lesson 10), ``cascade_explorer`` over
``cascade.cascade_at`` (lesson 07), ``decision_questionnaire`` over ``advice.recommend``
(lesson 11) and ``SliderExplorer`` over any function (lessons 05, 06). ``explorer``
holds the shared machinery.
"""

from prompt_vs_finetune.ui.widgets.cascade import CascadeExplorer, cascade_explorer
from prompt_vs_finetune.ui.widgets.costs import CostExplorer, cost_explorer
from prompt_vs_finetune.ui.widgets.decision import DecisionQuestionnaire, decision_questionnaire
from prompt_vs_finetune.ui.widgets.explorer import Explorer
from prompt_vs_finetune.ui.widgets.roi import RoiExplorer, roi_explorer
from prompt_vs_finetune.ui.widgets.sliders import SliderExplorer

__all__ = [
    "CascadeExplorer",
    "CostExplorer",
    "DecisionQuestionnaire",
    "Explorer",
    "RoiExplorer",
    "SliderExplorer",
    "cascade_explorer",
    "cost_explorer",
    "decision_questionnaire",
    "roi_explorer",
]
