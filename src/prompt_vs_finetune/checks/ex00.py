"""Checks of exercise set 00 (solutions/00_setup_and_tour_exercises.ipynb)."""

from __future__ import annotations

import re

from prompt_vs_finetune.checks.core import NotYet, default_model, exercise, require
from prompt_vs_finetune.model.generation import count_tokens, generate, show_tokens, to_messages

SENTENCE = "Prompting changes the input; fine-tuning changes the weights."
QUESTION = "What is the capital of France?"
ANSWER = "Paris"
REPLY_TOKENS = 8  # the check reads this many tokens of the model's reply
MIN_PIECES = 3


@exercise(
    "00.1",
    kind="design",
    title="Count the tokens of a sentence",
    task="replace the ... with the number of tokens the course tokenizer makes of `sentence`.",
    hints=[
        "The check compares your number with the course tokenizer's count for `sentence` "
        "alone, without the chat template. Words and characters are not tokens: compute the "
        "count instead of counting by hand.",
        "The helper that counts tokens takes the loaded model and a text: "
        "`count_tokens(lm, sentence)`. `show_tokens(lm, sentence)` shows the pieces it counts.",
    ],
    solution="n_tokens = count_tokens(lm, sentence)",
)
def _count_tokens(n_tokens: int) -> tuple[bool, str]:
    require(n_tokens, int)
    lm = default_model()
    truth = count_tokens(lm, SENTENCE)
    n_words = len(SENTENCE.split())
    if n_tokens == truth:
        return True, f"the sentence is {truth} tokens long, for {n_words} words."
    if n_tokens == n_words:
        return False, (
            "that is the number of words. The tokenizer cuts text into tokens, which are "
            "often smaller than words: count those."
        )
    if n_tokens == len(SENTENCE):
        return False, "that is the number of characters. Count the tokenizer's pieces instead."
    if n_tokens == count_tokens(lm, SENTENCE, chat=True):
        return False, (
            "that count includes the chat template's own tokens. Count the sentence alone "
            "(`chat=False`, the default of count_tokens)."
        )
    side = "more" if n_tokens > truth else "fewer"
    return False, (
        f"{n_tokens} is {side} than the tokenizer's count. Make sure you count `sentence` "
        "exactly as given, with the course tokenizer."
    )


def _words(text: str) -> list[str]:
    """The words of a reply, punctuation ignored ("Paris." is one word)."""
    return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", text)


@exercise(
    "00.2",
    kind="design",
    title="Get a one-word answer",
    task=f"set `prompt` to a prompt that makes the model answer {QUESTION!r} with one word.",
    hints=[
        f"The check sends your prompt to the course model (greedy, so the same prompt always "
        f"gets the same reply), reads the first {REPLY_TOKENS} tokens of the reply, and wants "
        f"exactly one word, {ANSWER!r}; punctuation is ignored. Your prompt must ask about France.",
        "A 135M model mostly ignores instructions such as 'answer in one word', but it copies "
        "a pattern well: show it one question answered with a single word (another capital, "
        "say), then ask yours in the same format.",
    ],
    solution=(
        'prompt = "Q: What is the capital of Italy?\\nA: Rome\\n'
        'Q: What is the capital of France?\\nA:"\n\n'
        "# One worked example of the format does what an instruction cannot, at this model size."
    ),
)
def _one_word(prompt: str | list) -> tuple[bool, str]:
    require(prompt, (str, list), "a prompt: a string, or a list of chat messages")
    try:
        messages = to_messages(prompt)
    except TypeError as exc:
        raise NotYet(str(exc)) from None
    if "france" not in " ".join(m["content"] for m in messages).lower():
        return False, "your prompt must ask the question, so it should mention France."
    reply = generate(default_model(), prompt, max_new_tokens=REPLY_TOKENS).text
    words = _words(reply)
    if len(words) == 1 and words[0].lower() == ANSWER.lower():
        return True, f"the model replied {reply!r}: one word, and the right one."
    if not words:
        return False, f"the model replied {reply!r}, with no word at all. Ask the question plainly."
    if len(words) == 1:
        return False, (
            f"the model replied {reply!r}: one word, but not {ANSWER!r}. Check that your prompt "
            "asks for the capital of France."
        )
    return False, (
        f"the model replied {reply!r}: {len(words)} words, and the check wants exactly one. "
        "Change the prompt so the reply itself is the single word."
    )


@exercise(
    "00.3",
    kind="design",
    title="Find a word cut into three tokens or more",
    task=f"set `long_word` to one word that the tokenizer cuts into {MIN_PIECES} or more tokens.",
    hints=[
        f"The check tokenizes your word on its own, exactly like `show_tokens(lm, long_word)`, "
        f"and wants at least {MIN_PIECES} pieces. The word must be letters only, with no "
        "spaces. Short, common English words are usually a single token.",
        "Try a few candidates with show_tokens first: long technical terms, product names, "
        "or long words from another language rarely appear whole in the tokenizer's vocabulary.",
    ],
    solution='long_word = "antidisestablishmentarianism"  # 5 tokens',
)
def _split_word(long_word: str) -> tuple[bool, str]:
    require(long_word, str)
    word = long_word.strip()
    if not word:
        return False, "the string is empty: put a word between the quotes."
    if len(word.split()) > 1:
        return False, f"{word!r} is {len(word.split())} words; the check wants a single word."
    if not word.isalpha():
        return False, f"{word!r} is not letters only: leave out digits, punctuation and symbols."
    pieces = [piece for piece, _ in show_tokens(default_model(), word)]
    cut = " | ".join(pieces)
    if len(pieces) >= MIN_PIECES:
        return True, f"{word!r} is cut into {len(pieces)} tokens: {cut}. Rare words cost more."
    return False, (
        f"{word!r} is {len(pieces)} token{'s' if len(pieces) > 1 else ''} ({cut}); the check "
        f"wants {MIN_PIECES} or more. Try a longer or rarer word."
    )
