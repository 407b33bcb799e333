"""Your own task: the course's study, prompting against fine-tuning, on a learner's data.

``run_study(task)`` measures it on any ``TaskData`` (``data.from_csv`` reads a CSV, JSONL or
DataFrame) and resumes from the results store; ``Study.write(folder)`` writes the report.
The command ``python -m prompt_vs_finetune compare data.csv --text ... --label ...`` and
lesson 12 are thin layers over these.
"""

from prompt_vs_finetune.own_task.steps import FULL, QUICK, STEPS, StudySettings
from prompt_vs_finetune.own_task.study import Study, plan, run_study

__all__ = ["FULL", "QUICK", "STEPS", "Study", "StudySettings", "plan", "run_study"]
