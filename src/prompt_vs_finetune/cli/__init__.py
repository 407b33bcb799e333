"""Commands of ``python -m prompt_vs_finetune``: doctor, workspace, exercises, prewarm."""
