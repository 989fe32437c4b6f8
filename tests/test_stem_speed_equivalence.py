"""The faster ways of the cold stem stage give what the plain ways gave (issue 24), on real and on odd text.

* the tokenizer, run over whole columns by Arrow's kernels (RE2 with classes built from Python's own ``\\w``, ``\\d``
  and ``[^\\W\\d_]``), gives the tokens that Python's re gave with the pattern as first written
  (``\\d+(?:[.,:/]\\d+)+|\\w+(?:[-'’]\\w+)*``) between the special tokens, on every code point, on real articles
  and on hostile strings;
* the texts searched for special tokens are those holding a marker, as a search for each marker in turn picked;
* :func:`kliping.stem.numbering.number_tokens` numbers the words as a ``dict.setdefault`` per table entry did.
"""

from __future__ import annotations

import json
import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from conftest import PLAIN_TOKEN, embedded_records

from kliping.stem import counting, numbering, tokens

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
# What the column path must not trip over: its own marks (NUL leads a special unit, line breaks mark tokens) in the
# text, a NUL beside a site name in a text without a marker (searched for no special token, as before), control
# characters, empty and blank texts, possessives, a 1.5x-like number then letters, a site name then text.
HOSTILE = [
    "",
    " ",
    "\n\n\t ",
    "\x00",
    "a\x00b \x00kompas.com\x00 c\x01d\x02e",
    "x\x00y Www.Detik.Com",  # no marker (".Co", not ".co"): no special token, as before
    "Baca \x00www.detik.com/a\x00b lalu",
    "rumahnya, bukunya-nya, -nya, nya- 1.5x 1.5.x 1,5,6 x1.5 ½1 1½",
    "KOMPAS.com-Jakarta redaksi@kompas.com.Lalu http://a.b/c.\nBaru",
    "‘Jum’at’ ’nya ''a'' -a- a--b a-'b a'-b",
    "\u200bzero\u200dwidth\u2060joiner \ufeffbom \u00adsoft",
    "ǅemal Ⅻ 〇 ㊀ ¹²³ ٠١٢.٣ 𝟙𝟚.𝟛 𝒜𝒷𝒸",
]


def python_tokenize(text: str) -> list[str]:
    """The tokenizer as Python's re ran it before the column kernels (a reference for these tests only): the special
    tokens where a marker is, and ``findall`` of the written pattern over the text between them."""
    out, position = [], 0
    if any(marker in text for marker in tokens._SPECIAL_MARKERS):
        for start, end in tokens._special_spans(text):
            out += [*PLAIN_TOKEN.findall(text, position, start), text[start:end]]
            position = end
    return out + PLAIN_TOKEN.findall(text, position)


def fuzz(n: int, seed: int = 0) -> list[str]:
    alphabet = list("aZéß٣5²½_-'’.,:/@ \n\t\u0301\u200d😀中\x00\x01") + ["\u00a0", "ǅ", "Ⅻ", "〇", ".com", "www."]
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(n)]


def real_texts() -> list[str]:
    records = embedded_records(0, 400)
    return [f"{r.get('title') or ''}\n{r.get('content') or ''}" for r in records]


def test_column_tokenizer_gives_what_python_re_gave_on_real_odd_and_random_text():
    texts = real_texts() + ODD + HOSTILE + fuzz(20_000)
    got = tokens.tokenize_texts(texts)
    assert [text for text, mine in zip(texts, got) if mine != python_tokenize(text)] == []
    assert sum(map(len, got)) > 100_000  # real text, not only odd bits
    assert tokens.tokenize(ODD[3]) == [
        "COVID-19", "G20", "5G", "e-KTP", "H-1", "x1", "5", "2.500", "a1", "5", "1.5", "an", "12a", "5", "abc2", "500",
    ]  # fmt: skip


def test_column_tokenizer_gives_what_python_re_gave_on_the_clickid_sample(sample_path):
    with open(sample_path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    texts = [record.get(field) or "" for record in records for field in ("content", "title")]
    assert [text[:80] for text, mine in zip(texts, tokens.tokenize_texts(texts)) if mine != python_tokenize(text)] == []


def test_every_code_point_is_read_as_python_reads_it():
    # Each character alone, between letters, after a digit and in a number: RE2's classes are Python's, character
    # by character (a class taken from RE2's own Unicode tables would differ on the characters its version adds).
    # 512 code points a text, a space between them, so no character meets another; each between letters, between
    # digits, after a number's separator and after a hyphen.
    points = [chr(point) for point in range(0x110000) if not 0xD800 <= point < 0xE000]
    blocks = [points[i : i + 512] for i in range(0, len(points), 512)]
    texts = [" ".join(f"a{c}b1{c}2.{c}3-{c}" for c in block) for block in blocks]
    got = tokens.tokenize_texts(texts)
    assert [repr(block[0]) for block, text, mine in zip(blocks, texts, got) if mine != python_tokenize(text)] == []
    assert sum(map(len, got)) > 2 * len(points)


def test_each_kind_of_token_comes_out_whole():
    text = (
        "Warga RT-05 Bekasi (Jum’at, 9/9/2020) pukul 06:32: 2.500 anak-anak mengungsi; rumahnya rusak. "
        "Lihat kompas.com, tulis ke redaksi@kompas.com atau https://x.co.id/a?b=1. Café ½-nya ٣٫٥ x² 中文"
    )
    assert tokens.tokenize(text) == [
        "Warga", "RT-05", "Bekasi", "Jum’at", "9/9/2020", "pukul", "06:32", "2.500", "anak-anak", "mengungsi",
        "rumahnya", "rusak", "Lihat", "kompas.com", "tulis", "ke", "redaksi@kompas.com", "atau",
        "https://x.co.id/a?b=1", "Café", "½-nya", "٣", "٥", "x²", "中文",
    ]  # fmt: skip


def test_a_lone_surrogate_is_read_as_the_replacement_character():
    # Not a character, and no UTF-8 form, so no Arrow column holds one: it is read as U+FFFD. No plain token holds
    # either (both are \W), so only a URL that holds one differs from what Python's re gave.
    text = "Banjir\ud800di Bekasi http://x.id/\udc00a lalu"
    assert tokens.tokenize(text) == ["Banjir", "di", "Bekasi", "http://x.id/\ufffda", "lalu"]
    assert python_tokenize(text) == ["Banjir", "di", "Bekasi", "http://x.id/\udc00a", "lalu"]


def test_a_text_that_is_not_a_string_is_refused():
    with pytest.raises(TypeError):
        tokens.tokenize_texts(["Banjir", None])


def test_the_texts_searched_for_special_tokens_are_those_holding_a_marker():
    rng = random.Random(1)
    pieces = [*tokens._SPECIAL_MARKERS, ".Co", ".c", "ww.", ":/", "@", "www", ".NET", "x", " ", "é"]
    texts = real_texts() + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(5_000)]
    chosen = pc.match_substring_regex(pa.array(texts), tokens._MARKER_PATTERN).to_pylist()
    assert chosen == [any(marker in text for marker in tokens._SPECIAL_MARKERS) for text in texts]
    assert 100 < sum(chosen) < len(texts) - 100  # both kinds are tried


def test_the_corpus_numbers_are_the_tokens_in_order_of_first_appearance(monkeypatch):
    texts = real_texts()[:150] + ODD + HOSTILE
    monkeypatch.setattr(counting, "TEXTS_PER_TASK", 17)  # many runs, joined
    corpus = counting.tokenize_corpus(texts)
    expected = [python_tokenize(text) for text in texts]
    flat = [token for tokens_of_text in expected for token in tokens_of_text]
    assert corpus.surface == list(dict.fromkeys(flat))
    assert [corpus.surface[code] for code in corpus.codes.tolist()] == flat
    assert corpus.lengths.tolist() == [len(t) for t in expected]


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
