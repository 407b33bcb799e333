"""How the label-scoring engine lays out and scores one batch (see ``measure.scoring``).

Each batch row holds one query, left-padded, followed by the label tokens that must be fed
to the model; a custom attention mask lets the query see the cached prefix and itself
(causally), and each label's tokens the prefix, the query and the same label's earlier
tokens only. Position ids are what a separate forward pass would use, and the vocabulary
projection is only computed at the positions that predict a label token.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from prompt_vs_finetune.model.generation import forward_params, output_cache
from prompt_vs_finetune.model.loading import LoadedModel

__all__ = [
    "BatchEngine",
    "LabelBlock",
    "make_engine",
    "prefix_cache_of",
    "score_batch",
    "split_point",
]


def split_point(prefix_ids: list[int], full: list[list[int]]) -> int:
    """Longest start of ``prefix_ids`` that every query's tokens begin with (leaving >= 1)."""
    n = len(prefix_ids)
    for ids in full:
        n = min(n, len(ids) - 1)
        if ids[:n] != prefix_ids[:n]:
            m = 0
            while m < n and ids[m] == prefix_ids[m]:
                m += 1
            n = m
    return max(n, 0)


class LabelBlock:
    """The label tokens fed after each query, and which positions predict which token."""

    def __init__(self, answers: list[list[int]], device):
        fed, fed_pos, pred_rel, targets, label_of = [], [], [], [], []
        groups = []  # (start, length) of each label's fed tokens in the block
        for j, answer in enumerate(answers):
            start = len(fed)
            fed += answer[:-1]
            fed_pos += list(range(len(answer) - 1))
            groups.append((start, len(answer) - 1))
            for m, token in enumerate(answer):
                pred_rel.append(start + m - 1 if m else -1)  # -1: the query's last token
                targets.append(token)
                label_of.append(j)
        self.size = len(fed)
        self.ids = torch.tensor(fed, dtype=torch.long, device=device)
        self.pos = torch.tensor(fed_pos, dtype=torch.long, device=device)
        self.tril = torch.zeros(self.size, self.size, dtype=torch.bool, device=device)
        for start, n in groups:
            self.tril[start : start + n, start : start + n] = torch.ones(n, n).tril().bool()
        keep = sorted(set(pred_rel))
        self.keep_rel = torch.tensor(keep, dtype=torch.long, device=device)
        where = {p: i for i, p in enumerate(keep)}
        self.pick = torch.tensor([where[p] for p in pred_rel], dtype=torch.long, device=device)
        self.targets = torch.tensor(targets, dtype=torch.long, device=device)
        self.label_of = torch.tensor(label_of, dtype=torch.long, device=device)


@dataclass
class BatchEngine:
    """What every batch shares: the model and its calling convention, the cached prefix,
    the label block."""

    model: Any
    device: torch.device
    cache_arg: str  # the name forward() gives the key/value cache argument
    keep_arg: bool  # whether forward() takes logits_to_keep
    pad_id: int
    n_cached: int  # tokens of the shared prefix, run once
    block: LabelBlock
    n_labels: int
    prefix_cache: Any = None


def make_engine(
    lm: LoadedModel, prefix_ids: list[int], full: list[list[int]], answers: list[list[int]]
) -> BatchEngine:
    """The engine for queries ``full`` (token ids) and label ``answers``, given the prompt's
    fixed start ``prefix_ids``: the longest start all queries share is run once."""
    model = lm.model
    device = next(model.parameters()).device
    params = forward_params(model)
    pad_id = lm.tokenizer.pad_token_id
    return BatchEngine(
        model=model,
        device=device,
        cache_arg="cache" if "cache" in params else "past_key_values",
        keep_arg="logits_to_keep" in params,
        pad_id=0 if pad_id is None else pad_id,
        n_cached=split_point(prefix_ids, full),
        block=LabelBlock(answers, device),
        n_labels=len(answers),
    )


def prefix_cache_of(eng: BatchEngine, first: list[int]) -> Any:
    """The key/value cache of the shared prefix (None when there is none)."""
    if not eng.n_cached:
        return None
    prefix = torch.tensor([first[: eng.n_cached]], device=eng.device)
    return output_cache(eng.model(input_ids=prefix, use_cache=True))


def batch_inputs(eng: BatchEngine, queries: list[list[int]]) -> tuple[dict[str, Any], int]:
    """forward() arguments for one batch of query suffixes, and the padded query length."""
    device, block, n_cached = eng.device, eng.block, eng.n_cached
    n_rows, q_max = len(queries), max(len(q) for q in queries)
    width = q_max + block.size
    # Row layout: [left padding | query | fed label tokens].
    ids = torch.full((n_rows, width), eng.pad_id, dtype=torch.long, device=device)
    pos = torch.full((n_rows, width), n_cached, dtype=torch.long, device=device)
    ids[:, q_max:] = block.ids
    lengths = torch.tensor([len(q) for q in queries], device=device)
    for r, query in enumerate(queries):
        q = len(query)
        ids[r, q_max - q : q_max] = torch.tensor(query, device=device)
        pos[r, q_max - q : q_max] = n_cached + torch.arange(q, device=device)
    pos[:, q_max:] = n_cached + lengths[:, None] + block.pos[None, :]
    # Who may attend to whom (True = allowed), columns: [cached prefix | this row].
    real = torch.arange(q_max, device=device)[None, :] >= (q_max - lengths)[:, None]
    causal = torch.ones(q_max, q_max, dtype=torch.bool, device=device).tril()
    allowed = torch.zeros(n_rows, width, n_cached + width, dtype=torch.bool, device=device)
    allowed[:, :, :n_cached] = True
    allowed[:, :q_max, n_cached : n_cached + q_max] = causal[None] & real[:, None, :]
    allowed[:, q_max:, n_cached : n_cached + q_max] = real[:, None, :]
    allowed[:, q_max:, n_cached + q_max :] = block.tril
    diag = torch.arange(width, device=device)
    allowed[:, diag, n_cached + diag] = True  # padding attends to itself: no empty rows
    dtype = next(eng.model.parameters()).dtype
    mask_min = torch.finfo(dtype).min if dtype.is_floating_point else -1e9
    mask = torch.zeros(allowed.shape, dtype=dtype, device=device)
    mask.masked_fill_(~allowed, mask_min)
    kwargs: dict[str, Any] = {
        "input_ids": ids,
        "attention_mask": mask[:, None],
        "position_ids": pos,
        "use_cache": eng.prefix_cache is not None,
    }
    if eng.prefix_cache is not None:
        cache = copy.deepcopy(eng.prefix_cache)
        cache.batch_repeat_interleave(n_rows)
        kwargs[eng.cache_arg] = cache
    return kwargs, q_max


def score_batch(eng: BatchEngine, queries: list[list[int]]) -> np.ndarray:
    """Label log-probabilities [len(queries), n_labels] of one batch: one forward pass."""
    kwargs, q_max = batch_inputs(eng, queries)
    block = eng.block
    keep = q_max + block.keep_rel  # positions whose next-token logits we need
    if eng.keep_arg:
        logits = eng.model(**kwargs, logits_to_keep=keep).logits
    else:
        logits = eng.model(**kwargs).logits[:, keep]
    lp = torch.log_softmax(logits.float(), dim=-1)[:, block.pick, block.targets]
    per_label = torch.zeros(len(queries), eng.n_labels, dtype=torch.float64, device=eng.device)
    per_label.index_add_(1, block.label_of, lp.double())
    return per_label.cpu().numpy()
