"""The language of every article (ISO 639-1), and which languages a run clusters.

The detector is py3langid (a maintained fork of langid.py, Lui & Baldwin 2012; its naive Bayes model of 140
language labels ships inside the wheel, nothing is downloaded). It reads the article's title and the first
:data:`SAMPLE_CHARS` characters of its cleaned content: the headline and the lede are in the article's language,
where a story about a song may quote whole English verses further down (on the 22,136 raw CLICK-ID articles the
whole text gave 20 articles ``en``, the title and first 600 characters 4), and the detector's time grows with the
bytes it reads. A text with fewer than :data:`MIN_LETTERS` letters gets no language (``""``) rather than a guess.

Indonesian and Malay are one language written to two standards, and a character n-gram model trained on both
calls many Indonesian news stories Malay (py3langid on the title and first 600 cleaned characters: 79 of the
22,136 CLICK-ID articles). Where the detector says
``id`` or ``ms``, the words that only one standard uses decide (:data:`INDONESIAN_WORDS`, :data:`MALAY_WORDS`:
spelling and vocabulary pairs such as karena/kerana, uang/wang, persen/peratus, Agustus/Ogos from the published
comparisons of the two standards; see the lists); when neither side's words outnumber the other's, the detector's
choice stands. That leaves 25 of them Malay: 22,092 (99.80 %) come out ``id``, against 22,038 (99.56 %) by the
detector alone and 22,081 (99.75 %) by the detector on the whole text at three times the cost
(``benchmarks/bench_language.py``).

Examples
--------
>>> detect("Banjir Bekasi", "Hujan deras sejak Senin malam membuat ratusan rumah di Bekasi terendam banjir.")
'id'
>>> detect("Floods in Bekasi", "Heavy rain since Monday night has flooded hundreds of houses in Bekasi.")
'en'
>>> detect("Gol!", "")  # too little text to tell
''
"""

from __future__ import annotations

import functools
import itertools
import re

import numpy as np
import pandas as pd

from kliping.clean.detector import classify_many
from kliping.config import DEFAULT_LANGUAGES, parse_languages

#: The language of a text too short to tell.
UNDETERMINED = ""
#: Characters of the cleaned content read after the title. py3langid reads text byte by byte in Python
#: (about 1.2 ms per 1,000 characters on a busy 2-core machine); the CLICK-ID articles average 1,766 characters.
#: On the raw articles, before the Malay rule, the title and the first 600 characters gave 22,044 of the 22,136
#: ``id``, the first 1,000 characters 22,071 at 1.6 times the cost.
SAMPLE_CHARS = 600
#: Fewer letters than this (title and sample together) get no language: about four words. Below it py3langid's
#: best guess for one or two words is noise ("Hi" -> ``sr``), and such a row has too few words to cluster anyway.
MIN_LETTERS = 20

#: Words of the Indonesian standard whose Malay (Malaysian) counterpart is written otherwise, from the vocabulary
#: and spelling tables of the published comparisons of the two standards (Wikipedia, "Comparison of Standard
#: Malay and Indonesian"; Asmah Haji Omar, "Bahasa Malaysia saintifik", 1987): karena/kerana, uang/wang,
#: yaitu/iaitu, mau/mahu, bisa/boleh ("can"; Malay's bisa is venom), coba/cuba, persen/peratus, miliar/bilion,
#: perusahaan/syarikat, karyawan/kakitangan,
#: telepon/telefon, kendaraan/kenderaan, kampanye/kempen, proyek/projek, bandara/lapangan terbang,
#: televisi/televisyen, universitas/universiti, kualitas/kualiti, taksi/teksi, kemarin/semalam, tanggal/tarikh,
#: sepeda/basikal, and the months Maret/Mac, Juli/Julai, Agustus/Ogos, Desember/Disember.
INDONESIAN_WORDS = frozenset(
    "karena uang yaitu mau bisa coba persen miliar perusahaan karyawan telepon kendaraan kampanye proyek bandara "
    "televisi universitas kualitas taksi kemarin tanggal sepeda maret juli agustus desember nggak enggak".split()
)
#: Their Malay counterparts (see :data:`INDONESIAN_WORDS`) that are no Indonesian word: none is a root of
#: Sastrawi's dictionary, which is drawn from the KBBI (wang, tarikh, telefon, julai and syarikat are, as old
#: loans, and are left out; ``tests/test_language.py`` checks it), nor a derived KBBI entry.
MALAY_WORDS = frozenset(
    "kerana iaitu mahu cuba peratus bilion kakitangan kenderaan kempen projek televisyen universiti kualiti "
    "teksi basikal ogos disember".split()
)
_MARKERS = INDONESIAN_WORDS | MALAY_WORDS
_LETTER = re.compile(r"[^\W\d_]")


def detector_version() -> str:
    """What decides the languages, for cache keys: the detector, its version and this module's settings.

    Examples
    --------
    >>> detector_version().startswith("py3langid ")
    True
    """
    from importlib.metadata import version

    return f"py3langid {version('py3langid')} sample {SAMPLE_CHARS} letters {MIN_LETTERS}"


def sample(title, content) -> str:
    """The text the language is told from: the title and the first :data:`SAMPLE_CHARS` characters of the content.

    Examples
    --------
    >>> sample("Banjir", "Hujan deras. " * 100)[:20], len(sample(None, "x" * 1000))
    ('Banjir\\nHujan deras. ', 601)
    """
    title = title if isinstance(title, str) else ""
    content = content if isinstance(content, str) else ""
    return f"{title}\n{content[:SAMPLE_CHARS]}"


def indonesian_or_malay(text: str, guess: str) -> str:
    """``id`` or ``ms`` for a text the detector called one of them: the standard whose own words (see
    :data:`INDONESIAN_WORDS`), written in lowercase, occur more often in it; the detector's ``guess`` on a tie.

    Examples
    --------
    >>> indonesian_or_malay("Harga naik karena uang rupiah melemah 2 persen", "ms")
    'id'
    >>> indonesian_or_malay("Harga naik kerana ringgit jatuh 2 peratus", "id")
    'ms'
    >>> indonesian_or_malay("Harga naik", "ms")
    'ms'
    """
    # As written: the lists are lowercase common words, and a capital marks a name (Wang Yi, Cuba, Tanggal 17).
    # Most texts hold no Malay word: then any Indonesian word, or none (a tie), decides without counting them all.
    # Searched for alone, the Malay words are rare substrings of Indonesian text where "mau", "uang" or "bisa"
    # are frequent ones: on the 22,136 CLICK-ID articles 0.75-0.97 -> 0.42-0.46 s CPU (2026-12-07).
    if next(_whole_words(_MALAY, text), None) is None:
        return "id" if guess == "id" or next(_whole_words(_INDONESIAN, text), None) else guess
    found = _marker_words(text)
    indonesian = sum(word in INDONESIAN_WORDS for word in found)
    malay = len(found) - indonesian
    if indonesian == malay:
        return guess
    return "id" if indonesian > malay else "ms"


#: Which words an automaton finds (:func:`_automaton_of`).
_MALAY, _INDONESIAN = "malay", "indonesian"


@functools.lru_cache(maxsize=3)
def _automaton_of(words: str | None = None):
    """An Aho-Corasick automaton of :data:`MALAY_WORDS` (``"malay"``), :data:`INDONESIAN_WORDS`
    (``"indonesian"``) or both (None)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in {_MALAY: MALAY_WORDS, _INDONESIAN: INDONESIAN_WORDS}.get(words, _MARKERS):
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _whole_words(words: str | None, text: str):
    """The words of ``text`` (its maximal runs of letters) that an automaton of :func:`_automaton_of` finds,
    in order."""
    for end, length in _automaton_of(words).iter(text):
        start = end - length + 1
        if (start == 0 or not _LETTER.match(text, start - 1)) and not _LETTER.match(text, end + 1):
            yield text[start : end + 1]


def _marker_words(text: str) -> list[str]:
    """The words of ``text`` (its maximal runs of letters) that are one of :data:`INDONESIAN_WORDS`
    or :data:`MALAY_WORDS`, in order.

    The marker words are found by one Aho-Corasick pass and kept where no letter touches them: 2.5 times faster
    than listing every word of the article (0.048 s against 0.12 s for 1,030 CLICK-ID and DEV articles).

    Examples
    --------
    >>> _marker_words("Keuangan naik karena uang, kerana2 persen; Uang")
    ['karena', 'uang', 'kerana', 'persen']
    """
    return list(_whole_words(None, text))


def has_letters(text: str) -> bool:
    """Whether a text holds at least :data:`MIN_LETTERS` letters (the search stops at the last one needed).

    Examples
    --------
    >>> has_letters("Banjir 2020"), has_letters("Banjir merendam ratusan rumah")
    (False, True)
    """
    return next(itertools.islice(_LETTER.finditer(text), MIN_LETTERS - 1, None), None) is not None


def detect(title, content) -> str:
    """The ISO 639-1 code of an article's language (``""`` when its title and content hold fewer than
    :data:`MIN_LETTERS` letters).

    Examples
    --------
    >>> detect("Jagad sepak bola Malaysia", "Malaysia punya kenangan pahit saat bersua Uni Emirat Arab, karena "
    ...        "kalah 0-10 pada kualifikasi Piala Dunia.")
    'id'
    >>> detect("O Brasil vence", "A seleção brasileira venceu a partida de ontem por dois gols a zero.")
    'pt'
    """
    return detect_many([title], [content])[0]


def detect_many(titles, contents) -> list[str]:
    """:func:`detect` of many articles at once: py3langid's byte automaton walked over all their samples together
    (:func:`classify_many`), the same answers as one by one in a tenth of the time.

    Examples
    --------
    >>> detect_many(["Banjir Bekasi", "Gol!"], ["Ratusan rumah di Bekasi terendam banjir sejak Senin malam.", ""])
    ['id', '']
    """
    titles, contents = list(titles), list(contents)
    texts = [sample(title, content) for title, content in zip(titles, contents)]
    told = [i for i, text in enumerate(texts) if has_letters(text)]
    languages = [UNDETERMINED] * len(texts)
    for i, guess in zip(told, classify_many([texts[i] for i in told])):
        if guess in ("id", "ms"):
            # The words are counted in the whole text: a word scan is cheap where the detector is not.
            text, content = texts[i], contents[i]
            long = isinstance(content, str) and len(content) > SAMPLE_CHARS
            guess = indonesian_or_malay(f"{text}{content[SAMPLE_CHARS:]}" if long else text, guess)
        languages[i] = guess
    return languages


def detect_all(titles, contents, usable=None) -> list[str]:
    """:func:`detect` of every row; a row that is not ``usable`` (no text was read) gets ``""``.

    Examples
    --------
    >>> detect_all(["Banjir Bekasi", "Floods"], ["Ratusan rumah di Bekasi terendam banjir sejak Senin.", ""],
    ...            usable=[True, False])
    ['id', '']
    """
    titles, contents = list(titles), list(contents)
    usable = [True] * len(titles) if usable is None else list(usable)
    languages = iter(
        detect_many([t for t, ok in zip(titles, usable) if ok], [c for c, ok in zip(contents, usable) if ok])
    )
    return [next(languages) if ok else UNDETERMINED for ok in usable]


def shown_languages(languages) -> str:
    """The setting as a user writes it: ``("id", "en")`` -> ``"id,en"`` (see :func:`kliping.config.parse_languages`)."""
    return ",".join(parse_languages(languages))


def clustered(languages_of_rows, languages) -> np.ndarray:
    """Which rows are in a clustered language (``languages``, see :func:`parse_languages`).

    Examples
    --------
    >>> clustered(["id", "en", "", "id"], "id").tolist()
    [True, False, True, True]
    """
    chosen = set(parse_languages(languages))
    chosen |= {UNDETERMINED} if "id" in chosen else set()  # too short to tell: the default language
    return np.array([language in chosen for language in languages_of_rows], dtype=bool)


def reason(language, languages) -> str:
    """Why a row of another language has no topic (``""`` for a clustered language).

    Examples
    --------
    >>> reason("en", ("id",)), reason("", ("en",)), reason("", ("id",)), reason("id", "id")
    ('language en, not clustered (--languages id)', 'language unknown: too little text to tell', '', '')
    """
    chosen = parse_languages(languages)
    if language in chosen:
        return ""
    if not isinstance(language, str) or language == UNDETERMINED:
        # Too short to tell: stemmed as Indonesian when id is clustered (its reason, if any, is the stems').
        return "" if "id" in chosen else "language unknown: too little text to tell"
    return f"language {language}, not clustered (--languages {','.join(chosen)})"


def language_mix(articles: pd.DataFrame, languages=DEFAULT_LANGUAGES) -> pd.DataFrame:
    """How many articles of each language a corpus has and which are clustered: one row per language, most
    articles first (``""`` shown as ``unknown``), with ``articles``, ``share`` (of all rows with text) and
    ``clustered``.

    Examples
    --------
    >>> mix = language_mix(pd.DataFrame({"status": ["ok"] * 4, "language": ["id", "id", "en", ""]}))
    >>> mix.to_dict("records")[:2]
    [{'language': 'id', 'articles': 2, 'share': 0.5, 'clustered': True}, {'language': 'en', 'articles': 1, \
'share': 0.25, 'clustered': False}]
    """
    chosen = set(parse_languages(languages))
    read = articles[articles["status"] == "ok"] if "status" in articles else articles
    values = read["language"].fillna(UNDETERMINED).replace(UNDETERMINED, "unknown")
    counts = values.value_counts()
    table = pd.DataFrame({"language": counts.index.astype(str), "articles": counts.to_numpy().astype(int)})
    table["share"] = (table["articles"] / max(len(read), 1)).round(4)
    table["clustered"] = table["language"].isin(chosen)
    return table.sort_values(["articles", "language"], ascending=[False, True], ignore_index=True)


def mix_metrics(articles: pd.DataFrame, languages=DEFAULT_LANGUAGES) -> dict:
    """The language mix for ``metrics.json``: ``{"languages": "id", "language_counts": {"id": 120, ...}}``.

    Examples
    --------
    >>> mix_metrics(pd.DataFrame({"status": ["ok", "ok"], "language": ["id", "en"]}))
    {'languages': 'id', 'language_counts': {'en': 1, 'id': 1}}
    """
    mix = language_mix(articles, languages)
    return {
        "languages": shown_languages(languages),
        "language_counts": {str(k): int(v) for k, v in zip(mix["language"], mix["articles"])},
    }


def row_reasons(cleaned: pd.DataFrame, usable, languages, has_stems=None) -> list[str]:
    """Why each row cannot be clustered (``""`` when it can): no usable text, a language that is not clustered
    (``language en, not clustered (--languages id)``), or no words left after stemming.

    Examples
    --------
    >>> frame = pd.DataFrame({"status": ["ok", "ok", "empty", "ok"], "language": ["id", "en", "", "id"]})
    >>> row_reasons(frame, [True, False, False, False], ("id",))
    ['', 'language en, not clustered (--languages id)', 'no usable text (empty)', 'no words left after stemming']
    """
    from kliping.base.articles import unusable_reasons

    reasons = unusable_reasons(cleaned["status"], usable, has_stems)  # has_stems: see there
    if "language" not in cleaned:
        return reasons
    return [
        (reason(language, languages) or why) if status == "ok" and not ok else why
        for why, status, ok, language in zip(reasons, cleaned["status"], usable, cleaned["language"])
    ]
