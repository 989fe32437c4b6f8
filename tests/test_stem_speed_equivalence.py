"""The faster ways of the cold stem stage give what the plain ways gave (issue 24), on real and on odd text.

* the plain-token pattern, rewritten with a letter-first branch and possessive quantifiers, finds the same tokens as
  the pattern as first written (``\\d+(?:[.,:/]\\d+)+|\\w+(?:[-'’]\\w+)*``);
* the Aho-Corasick test for a special token's marker picks the same texts as a search for each marker in turn;
* :func:`kliping.stem.numbering.number_tokens` numbers the words as a ``dict.setdefault`` per table entry did.
"""

from __future__ import annotations

import random
import re

import numpy as np
from conftest import embedded_records

from kliping.stem import counting, numbering, tokens

WRITTEN = re.compile(r"\d+(?:[.,:/]\d+)+|\w+(?:[-'’]\w+)*")

# Odd but real-looking pieces of Indonesian news text: reduplication, numbers with separators, apostrophes,
# digits of other scripts, superscripts and fractions (letters and digits to \w but not \d), combining marks,
# underscores, dashes that are not hyphens, emoji, other scripts.
ODD = [
    "anak-anak bermain-main di kebun; sayur-mayur, lauk-pauk dan buah-buahan",
    "Rp2.500.000,00 naik 3,5% pada 06:32 WIB tanggal 9/9/2020 (1.000-an orang)",
    "Jum'at, Qur'an, ma’ruf, 'kutipan', ’’ganda’’, don't -- rock'n'roll",
    "COVID-19, G20, 5G, e-KTP, H-1, x1.5, 2.500a1.5, 1.5-an, 12a.5, abc2.500",
    "angka ٣٫٥ dan ١٢٣,٤ serta ۱۲۳ dan ५.६ — x² + y² = z², ½ porsi, ⅓-nya",
    "café cafe\u0301 naïve Ｔｏｋｙｏ ＡＢＣ-１２３ mañana São Paulo",
    "snake_case __init__ _x x_ a__b 1_000 _1.5 1._5",
    "emoji 😀-😀 👍🏽 flag 🇮🇩 ‘kata’ “kutip” «guillemets» „unten“",
    "中文字符 ไทย ภาษา العربية ١٠٠ Ελληνικά русский-язык ქართული",
    "a-b-c--d -e- f- -g 'h' i' 'j k'l'm n’’o 1-2-3 4--5 6.-7 8/ 9.",
    "tab\tdan\nbaris\r\nbaru\u2028pemisah\u00a0nbsp\u3000ideographic",
]

ALPHABET = list("aZéß٣5²½_-'’.,:/ \n\t\u0301\u200d😀中") + ["\u00a0", "ǅ", "Ⅻ", "〇"]


def fuzz(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def real_texts() -> list[str]:
    records = embedded_records(0, 400)
    return [f"{r.get('title') or ''}\n{r.get('content') or ''}" for r in records]


def test_plain_token_pattern_finds_what_the_written_pattern_found():
    texts = real_texts() + ODD + fuzz(20_000)
    differing = [text for text in texts if tokens._PLAIN_TOKEN.findall(text) != WRITTEN.findall(text)]
    assert differing == []
    assert tokens._PLAIN_TOKEN.findall(ODD[3]) == [
        "COVID-19", "G20", "5G", "e-KTP", "H-1", "x1", "5", "2.500", "a1", "5", "1.5", "an", "12a", "5", "abc2", "500",
    ]  # fmt: skip


def test_tokenize_of_odd_text_keeps_reduplication_numbers_and_apostrophes_whole():
    assert tokens.tokenize(ODD[0])[:4] == ["anak-anak", "bermain-main", "di", "kebun"]
    assert tokens.tokenize(ODD[1])[:3] == ["Rp2", "500.000,00", "naik"]  # a word, then a number: as written
    assert "1.000" in tokens.tokenize(ODD[1]) and "06:32" in tokens.tokenize(ODD[1])
    assert tokens.tokenize(ODD[2])[:4] == ["Jum'at", "Qur'an", "ma’ruf", "kutipan"]
    assert "٣٫٥" not in tokens.tokenize(ODD[4]) and "١٢٣,٤" in tokens.tokenize(ODD[4])  # ٫ is no separator


def test_marker_automaton_picks_the_texts_a_search_per_marker_picked():
    rng = random.Random(1)
    pieces = [*tokens._SPECIAL_MARKERS, ".Co", ".c", "ww.", ":/", "@", "www", ".NET", "x", " ", "é"]
    texts = real_texts() + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(5_000)]
    chosen = [tokens._may_hold_special(text) for text in texts]
    assert chosen == [any(marker in text for marker in tokens._SPECIAL_MARKERS) for text in texts]
    assert 100 < sum(chosen) < len(texts) - 100  # both kinds are tried


def _numbered_as_before(corpus, modes, finals):
    """number_tokens' word table made as before: one dict.setdefault per table entry."""
    surface = {token: number for number, token in enumerate(corpus.surface)}
    words: dict[str, int] = {}
    tables = np.full((3, len(surface) + 1), -1, dtype=np.int32)
    for code, mode in enumerate(("id", "en")):
        for token, word in finals.get(mode, {}).items():
            if word and token in surface:
                tables[code, surface[token]] = words.setdefault(word, len(words))
    return tables, list(words)


def test_number_tokens_numbers_words_as_a_dict_per_entry_did(monkeypatch):
    texts = real_texts()[:120] + ODD
    modes = ["en" if i % 7 == 0 else "" if i % 11 == 0 else "id" for i in range(len(texts))]
    monkeypatch.setattr(counting, "TEXTS_PER_TASK", 25)  # several runs joined
    corpus = counting.tokenize_corpus(texts)
    rng = random.Random(2)
    surface = list(corpus.surface)
    # Tables as the stem stage makes them, with words shared by many tokens, empty words and unknown tokens.
    finals = {
        "id": {token: rng.choice([token.lower()[:4], "", token.lower()]) for token in rng.sample(surface, 3000)},
        "en": {token: token.lower() for token in rng.sample(surface, 500)} | {"tidak-ada-di-korpus": "x"},
    }
    tables, words = _numbered_as_before(corpus, modes, finals)
    numbered = numbering.number_tokens(corpus, modes, finals)
    assert numbered.words == words
    language = [{"id": 0, "en": 1}.get(mode, 2) for mode in modes]
    ends = np.cumsum(corpus.lengths)
    expected = []
    for i, end in enumerate(ends):
        row = tables[language[i], corpus.codes[end - corpus.lengths[i] : end]]
        expected.append([words[number] for number in row if number >= 0])
    assert numbered.token_lists() == expected
