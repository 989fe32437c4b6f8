"""Cost linear in a line's length: the tokenizer gives the same tokens as the plain (quadratic) algorithm it
replaced, and a long line finishes under a timeout (a child process, so a regression fails instead of hanging).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

from kliping.stem import tokens
from tests.conftest import PLAIN_TOKEN, require_shared

#: The special-token pattern before its lookbehinds and DNS bounds (one start per character of a run).
OLD_SPECIAL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]"
    r"|[\w.+-]+@\w[\w-]*(?:\.[\w-]+)+"
    r"|(?:[^\W_][\w-]*\.)+" + tokens._TLDS + r"\b",
    re.IGNORECASE,
)


def reference_tokenize(text: str) -> list[str]:
    """The tokenizer as it was before it was made linear: rfind back to the line's start for every hint, and every
    position of a run a possible start of a special token."""
    if not any(marker in text for marker in tokens._SPECIAL_MARKERS):
        return PLAIN_TOKEN.findall(text)
    out, position = [], 0
    for hint in tokens._SPECIAL_HINT.finditer(text):
        if hint.start() < position:
            continue
        chunk_start = max(text.rfind(space, 0, hint.start()) for space in " \n\t") + 1
        chunk_start = max(chunk_start, position)
        chunk_end = re.compile(r"\S*").match(text, hint.start()).end()
        special = OLD_SPECIAL.search(text, chunk_start, chunk_end)
        if special is None:
            continue
        out.extend(PLAIN_TOKEN.findall(text, position, special.start()))
        out.append(special.group())
        position = special.end()
    out.extend(PLAIN_TOKEN.findall(text, position))
    return out


def test_same_tokens_as_before_on_the_real_sample():
    path = require_shared("corpora/clickid_labelled_news/sample_stratified.jsonl")
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    texts = [r.get(field) or "" for r in records for field in ("content", "title", "url")]
    assert sum(bool(re.search(r"\.com|@|://", t)) for t in texts) > 1000  # the special-token path is exercised
    for text, got in zip(texts, tokens.tokenize_texts(texts)):
        assert got == reference_tokenize(text), text[:200]


def test_same_tokens_as_before_on_mixed_pieces():
    # Pieces that make runs with several hints, failed hints, and specials inside runs.
    pieces = ["kompas.com", "a@b.id", "@", ".com", "www.", "https://x.co.id/a.b", "e-KTP", "2.500", " ", "\n",
              "\t", "\u00a0", "x", ".", "-", "KOMPAS.COM", "http://", "detik.comx", "(", ")", "_"]  # fmt: skip
    generator = random.Random(15)
    texts = ["".join(generator.choice(pieces) for _ in range(generator.randint(1, 30))) for _ in range(3000)]
    for text, got in zip(texts, tokens.tokenize_texts(texts)):
        assert got == reference_tokenize(text), repr(text)


def test_a_32_mb_line_of_real_text_is_tokenized_under_a_timeout():
    require_shared("corpora/clickid_labelled_news/sample_stratified.jsonl")
    # 32 MB took 26.7 s when the cost was quadratic; linear it takes about 2.5 s here (12 s with the machine
    # loaded by other work: the timeout only catches a return of the quadratic cost, it times nothing).
    code = (
        "import sys; sys.path.insert(0, 'benchmarks'); from bench_tokenize import one_line; "
        "from kliping.stem.tokens import tokenize; print(len(tokenize(one_line(32))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 4_000_000


def test_hostile_runs_around_an_at_sign_or_dots_take_linear_time():
    # Each took minutes or more when every position of a run was a start: 100,000 letters, "@" and 100,000
    # letters did not finish in 5 minutes. Linear, the 8 MB lines below take about 2 s each here.
    n = 4_000_000
    code = (
        "import sys; from kliping.stem.tokens import tokenize; n = int(sys.argv[1]); "
        "print(len(tokenize('a' * n + '@' + 'b' * n)), len(tokenize('a.' * n + '.com')), "
        "len(tokenize('a-' * n + 'x.co.id')), len(tokenize('x@y.id+' * (n // 4))))"
    )
    result = subprocess.run([sys.executable, "-c", code, str(n)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [int(v) for v in result.stdout.split()] == [2, n + 1, 2, n // 4]
