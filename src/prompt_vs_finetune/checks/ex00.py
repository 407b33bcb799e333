"""Checks of exercise set 00 (solutions/00_setup_and_tour_exercises.ipynb).

00.4 predict: what the same ticket costs in German, measured with the tokenizer.
00.5 design: a prompt whose reply is the one word "Paris", for fewer tokens than the bare
question (its baseline, ``baseline()``, measured on the course model).
00.6 read: whether a reply finished or was cut off by the token limit, and its length.
"""

from __future__ import annotations

import functools
import math
import re

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require, retire
from prompt_vs_finetune.checks.predictions import compare, prediction_for
from prompt_vs_finetune.checks.readings import parse
from prompt_vs_finetune.model.generation import Generation, count_tokens, generate, to_messages

retire(
    "00.1",
    "Exercise 00.1 (Count the tokens of a sentence) was replaced by 00.4 "
    "(Predict what the German ticket costs).",
)
retire(
    "00.2",
    "Exercise 00.2 (Get a one-word answer) was replaced by 00.5 "
    "(A one-word answer for fewer tokens).",
)
retire(
    "00.3",
    "Exercise 00.3 (Find a word cut into three tokens or more) was removed; "
    "00.4 (Predict what the German ticket costs) covers its idea.",
)

#: The same ticket in English and in German (exercise 00.4).
ENGLISH = (
    "My router keeps disconnecting every evening since the update. Please send a "
    "technician, my order number is ORD-48213."
)
GERMAN = (
    "Mein Router verliert seit dem Update jeden Abend die Verbindung. Bitte schicken Sie "
    "einen Techniker, meine Bestellnummer ist ORD-48213."
)
QUESTION = "What is the capital of France?"  # exercise 00.5
ANSWER = "Paris"
REPLY_TOKENS = 8  # the check of 00.5 lets the model write this many tokens
BASELINE_TOKENS = 64  # room for the bare question's whole sentence
#: Exercise 00.6: lesson 00's open question about a ticket, answered within LIMIT tokens.
OPEN_QUESTION = (
    "My router keeps dropping the connection every evening. What kind of support ticket is this?"
)
LIMIT = 40
END_WORDS: dict[str, tuple[str, ...]] = {
    "cut off": ("cut", "cutoff", "truncated", "cut by the limit", "stopped by the limit",
                "hit the limit", "limit", "unfinished", "incomplete"),
    "finished": ("complete", "completed", "done", "ended", "stopped", "finished by itself",
                 "stopped by itself", "ended by itself"),
}  # fmt: skip


def token_counts() -> tuple[int, int]:
    """Tokens of the German and of the English ticket, with the course tokenizer."""
    lm = default_model()
    return count_tokens(lm, GERMAN), count_tokens(lm, ENGLISH)


def _ratio(part: str, whole: str, unit: str) -> float:
    measure = len if unit == "characters" else (lambda text: len(text.split()))
    return measure(part) / measure(whole)


@exercise(
    "00.4",
    kind="predict",
    title="Predict what the German ticket costs",
    task=(
        "set `ratio` to the German ticket's tokens divided by the English ticket's, both "
        "counted with the course tokenizer."
    ),
    hints=[
        "The check counts the tokens of `german` and of `english` with the course tokenizer "
        "(the text alone, no chat template) and divides the first by the second; your "
        "prediction is compared with that ratio. Words and characters are not tokens.",
        "ratio = count_tokens(lm, german) / count_tokens(lm, english). "
        "show_tokens(lm, german) shows where the German words are cut.",
    ],
    solution="ratio = count_tokens(lm, german) / count_tokens(lm, english)",
)
def _german_ratio(ratio: float) -> tuple[bool, str]:
    first = prediction_for("00.4")
    require(ratio, float)
    german, english = token_counts()
    truth = german / english
    if math.isclose(ratio, truth, rel_tol=1e-3):
        said = compare(first, truth, unit="x", digits=2)
        return True, (
            f"{said} The German ticket is {german} tokens, the English one {english}. The "
            "tokenizer's vocabulary was learned mostly from English text, so common English "
            "words are one piece each, while German words (compounds such as "
            "'Bestellnummer' most of all) are cut into several. Every price, every delay and "
            "the context limit count tokens, so the same request costs more in German."
        )
    if math.isclose(ratio, 1 / truth, rel_tol=1e-3):
        return False, "that is the English count over the German one: divide the other way."
    for unit in ("words", "characters"):
        if math.isclose(ratio, _ratio(GERMAN, ENGLISH, unit), rel_tol=1e-3):
            return False, f"that is the ratio of {unit}. Count tokens with count_tokens."
    return False, (
        f"{ratio:.3g} is not the ratio of the two token counts. Count each ticket alone "
        "(count_tokens(lm, text), no chat template) and divide German by English."
    )


def _words(text: str) -> list[str]:
    """The words of a reply, punctuation ignored ("Paris." is one word)."""
    return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text)


def ask(prompt: str | list) -> Generation:
    """The course model's greedy reply to ``prompt``, at most REPLY_TOKENS tokens."""
    return generate(default_model(), prompt, max_new_tokens=REPLY_TOKENS)


@functools.cache
def baseline() -> int:
    """Tokens in plus tokens out of the bare question, its whole reply included."""
    reply = generate(default_model(), QUESTION, max_new_tokens=BASELINE_TOKENS)
    return reply.tokens_in + reply.tokens_out


def _reply_problem(reply: str) -> str | None:
    """Why ``reply`` is not the single word ANSWER, or None when it is."""
    words = _words(reply)
    if len(words) == 1 and words[0].lower() == ANSWER.lower():
        return None
    if not words:
        return f"the model replied {reply!r}, with no word at all. Ask the question plainly."
    if len(words) == 1:
        return (
            f"the model replied {reply!r}: one word, but not {ANSWER!r}. Check that your "
            "prompt asks for the capital of France."
        )
    return (
        f"the model replied {reply!r}: {len(words)} words, and the check wants exactly one. "
        "Change the prompt so the reply itself is the single word."
    )


@exercise(
    "00.5",
    kind="design",
    title="A one-word answer for fewer tokens",
    task=(
        f"set `prompt` to a prompt whose reply is the one word {ANSWER!r} and whose request "
        "(tokens in plus tokens out) costs fewer tokens than the bare question's."
    ),
    hints=[
        f"The check sends your prompt to the course model (greedy), lets it write up to "
        f"{REPLY_TOKENS} tokens, and wants exactly the word {ANSWER!r} (punctuation ignored). "
        "It then adds the tokens in (your prompt inside the chat template) and the tokens out, "
        "and compares the sum with the same sum for the bare question, measured in the notebook.",
        "Look again at the chat template in lesson 00: without a system message it adds a "
        "default one, paid on every request; a system message of your own replaces it, even "
        "an empty one. A one-word reply also saves output tokens: the model copies a short "
        "worked example (one question answered with one word, as earlier chat turns).",
    ],
    solution=(
        "prompt = [\n"
        '    {"role": "system", "content": ""},\n'
        '    {"role": "user", "content": "Capital of Italy?"},\n'
        '    {"role": "assistant", "content": "Rome"},\n'
        '    {"role": "user", "content": "Capital of France?"},\n'
        "]"
    ),
)
def _cheap_one_word(prompt: str | list) -> tuple[bool, str]:
    require(prompt, (str, list), "a prompt: a string, or a list of chat messages")
    try:
        messages = to_messages(prompt)
    except TypeError as exc:
        raise NotYet(str(exc)) from None
    if "france" not in " ".join(m["content"] for m in messages).lower():
        return False, "your prompt must ask the question, so it should mention France."
    reply = ask(prompt)
    problem = _reply_problem(reply.text)
    if problem is not None:
        return False, problem
    cost, bar = reply.tokens_in + reply.tokens_out, baseline()
    spent = f"{reply.tokens_in} tokens in + {reply.tokens_out} out = {cost}"
    if cost >= bar:
        return False, (
            f"the reply is {ANSWER!r}, but the request costs {spent}, and the bare question "
            f"costs {bar} with its whole sentence. Find the tokens you pay for without seeing "
            "them: print the text the model receives (encode, then decode, as in lesson 00)."
        )
    return True, (
        f"{ANSWER!r} for {spent} tokens, against {bar} for the bare question. A prompt is "
        "paid in full on every request, the template's hidden text included, and so is the "
        "answer: wording decides both."
    )


def reading() -> tuple[Generation, bool]:
    """The open question's reply within LIMIT tokens, and whether the limit cut it off."""
    lm = default_model()
    reply = generate(lm, OPEN_QUESTION, max_new_tokens=LIMIT)
    if reply.tokens_out < LIMIT:
        return reply, False
    longer = generate(lm, OPEN_QUESTION, max_new_tokens=LIMIT + 1)
    return reply, longer.tokens_out > LIMIT


@exercise(
    "00.6",
    kind="read",
    title="Finished or cut off?",
    task=(
        'set `diagnosis` to ("finished" or "cut off", the number of tokens the open '
        "question's reply used)."
    ),
    hints=[
        f"The check generates the open question's reply exactly as the notebook does (greedy, "
        f"at most {LIMIT} tokens) and finds out whether the model stopped by itself (it wrote "
        "its end-of-reply marker) or was stopped by the limit. It wants that word and the "
        "reply's `tokens_out`.",
        "A reply that stops on its own spends its last token on the end marker, so it uses "
        f"fewer than the {LIMIT} tokens allowed. Compare `reply.tokens_out` with the limit, and "
        "read the end of the text: does it end mid-sentence?",
    ],
    solution='diagnosis = ("cut off", reply.tokens_out)  # tokens_out equals the limit',
)
def _cut_off(diagnosis: tuple) -> tuple[bool, str]:
    word, used = parse(diagnosis, END_WORDS, int, "the number of tokens the reply used")
    reply, cut = reading()
    truth = "cut off" if cut else "finished"
    if used != reply.tokens_out:
        return False, (
            f"{used} is not the number of tokens the reply used: read it from the reply "
            "itself (its tokens_out)."
        )
    if word != truth:
        return False, (
            f"the reply used {used} of the {LIMIT} tokens allowed, yet you say {word!r}. Ask "
            "what the model would write with one more token: a finished reply has already "
            "written its end marker."
        )
    if cut:
        return True, (
            f"the reply used all {LIMIT} tokens and would have gone on: the limit cut it off. "
            "A cut-off reply is paid in full and may never reach the answer; raise "
            "max_new_tokens, or ask for a shorter answer."
        )
    return True, (
        f"the reply stopped by itself after {used} tokens, under the limit of {LIMIT}: it "
        "is the whole answer the model wanted to give."
    )
