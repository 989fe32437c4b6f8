"""The line model's features from HTML: what the markup says of each line, and the cues of the page's language.

A page read from HTML (:func:`kliping.io.blocks.html_blocks`) gives every line its element, ancestors, class
words, link share, depth and whether it lies in the page's densest block of paragraphs. To these come what
trafilatura and jusText read in the text, in the page's own language (:func:`kliping.clean.language.detect` of
its paragraph-like lines): the share of the line's words that are stopwords of that language (stopwords-iso),
the same and the link share averaged over the neighbouring lines, and whether the line opens with a cue of
"read also" boilerplate (``Baca juga``, ``Read more``, ``Lire aussi``...). The text features of
:mod:`kliping.clean.features` stay as they are; the HTML model (``data/clean_model_html.json``) reads
:data:`HTML_FEATURE_NAMES`, which are those followed by these.

Examples
--------
>>> page_language(["Heavy rain since Monday night has flooded hundreds of houses in Bekasi, officials said."])
'en'
>>> cue_lines(["Read more: Floods in Jakarta", "The river rose overnight."], "en").tolist()
[True, False]
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from kliping.io.blocks import STRUCTURE_NAMES, WORD, count_words

#: Features computed here from the page's language, after the markup's :data:`STRUCTURE_NAMES`.
LANGUAGE_FEATURES = ("stopword_share", "near_stopword_share", "near_link_share", "cue_line")
#: What the HTML line model adds to the text features.
MARKUP_FEATURE_NAMES = (*STRUCTURE_NAMES, *LANGUAGE_FEATURES)
#: Lines of at least this many words tell the page's language.
LANGUAGE_LINE_WORDS = 8
# Openings of "read also", "related", share and subscription lines, per language; the Indonesian ones beside
# the lexicon's own markers (data/clean_lexicon.json), which the text features already count.
CUES = {
    "id": "baca juga|baca:|lihat juga|simak juga|simak:|tonton juga|berita terkait|artikel terkait|"
    "baca selengkapnya|selengkapnya|bagikan|ikuti kami|klik di sini|iklan|komentar|tag:|tags:",
    "en": "read more|read also|see also|related:|related articles|related stories|more from|recommended|"
    "advertisement|sponsored|share this|share on|follow us|sign up|subscribe|click here|continue reading|"
    "comments|leave a comment|all rights reserved|copyright|photo:|image:|tags:|filed under",
    "fr": "lire aussi|lire la suite|voir aussi|à lire|publicité|partager|abonnez-vous|commentaires",
    "es": "lea también|leer más|ver también|publicidad|compartir|suscríbete|comentarios|te puede interesar",
    "pt": "leia também|leia mais|veja também|publicidade|compartilhe|assine|comentários",
    "de": "lesen sie auch|mehr zum thema|weiterlesen|anzeige|teilen|abonnieren|kommentare",
}
_CUE_PATTERNS = {lang: re.compile(rf"^(?:{cues})", re.IGNORECASE) for lang, cues in CUES.items()}
#: Line ends of a sentence in scripts other than the Latin one (the text measures know ``.!?:;"')]``).
TERMINAL_CHARS = frozenset(".!?:;\"'\u201d\u2019)]\u3002\uff01\uff1f\u300d\u300f\u0964")


def page_language(lines: list[str]) -> str:
    """The language of a page (ISO 639-1, ``""`` when too little text tells) from its paragraph-like lines.

    Examples
    --------
    >>> page_language(["Beranda", "Hujan deras sejak Senin malam membuat ratusan rumah di Bekasi terendam banjir."])
    'id'
    """
    from kliping.clean.language import detect

    wordy = [line for line in lines if len(line.split()) >= LANGUAGE_LINE_WORDS]
    return detect(None, "\n".join(wordy or lines))


@cache
def stopwords(language: str) -> frozenset:
    """The stopwords of a language (stopwords-iso, lowercased); Indonesian and English together when the
    language is unknown or has no list.

    Examples
    --------
    >>> {"yang", "dan"} <= stopwords("id"), "the" in stopwords("en"), "the" in stopwords("")
    (True, True, True)
    """
    import stopwordsiso

    words = stopwordsiso.stopwords(language) if language and stopwordsiso.has_lang(language) else set()
    if not words:
        words = stopwordsiso.stopwords("id") | stopwordsiso.stopwords("en")
    return frozenset(word.lower() for word in words)


def stopword_shares(lines: list[str], language: str) -> np.ndarray:
    """The share of each line's words that are stopwords of ``language``.

    Examples
    --------
    >>> stopword_shares(["Banjir di Bekasi dan Jakarta", "Beranda"], "id").round(2).tolist()
    [0.4, 0.0]
    """
    words = stopwords(language)
    shares = np.zeros(len(lines))
    for i, line in enumerate(lines):
        tokens = WORD.findall(line.lower())
        if tokens:
            shares[i] = sum(token in words for token in tokens) / len(tokens)
    return shares


def script_measures(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Words (:func:`kliping.io.blocks.count_words`) and whether the line ends a sentence, in any script: for a
    page read from HTML these replace the text measures' ``words`` and ``ends_terminal``, which count a Chinese
    paragraph as one word that never ends.

    Examples
    --------
    >>> [a.tolist() for a in script_measures(["日本の首都は東京です。", "Beranda"])]
    [[10.0, 1.0], [True, False]]
    """
    words = np.array([float(count_words(line)) for line in lines])
    ends = np.array([bool(line) and line[-1] in TERMINAL_CHARS for line in lines], dtype=bool)
    return words, ends


def cue_lines(lines: list[str], language: str) -> np.ndarray:
    """Whether each line opens with a boilerplate cue of ``language`` (the English ones where it has none)."""
    pattern = _CUE_PATTERNS.get(language, _CUE_PATTERNS["en"])
    return np.array([bool(pattern.match(line)) for line in lines], dtype=bool)


def language_shares(pages_lines: list[list[str]], languages: list[str] | None = None) -> np.ndarray:
    """Every line's :func:`stopword_shares` in its page's language (:func:`page_language` unless given), the
    pages' lines one after the other.

    For a page read from HTML this share is the line's *function share* (:mod:`kliping.clean.features`), in
    place of the Indonesian function words: a paragraph of English has none of those, and with them the
    model trained on Indonesian and English pages took the long English paragraphs of a page for noise.
    """
    languages = languages or [page_language(lines) for lines in pages_lines]
    shares = [stopword_shares(lines, language) for lines, language in zip(pages_lines, languages)]
    return np.concatenate(shares) if shares else np.zeros(0)


def markup_columns(pages: list[tuple], window_mean) -> np.ndarray:
    """The rows of :data:`MARKUP_FEATURE_NAMES` of several pages, their lines one after the other.

    ``pages`` holds ``(lines, structure, shares, language)`` per page: its lines, their rows of
    :data:`~kliping.io.blocks.STRUCTURE_NAMES`, their :func:`language_shares` and its :func:`page_language`;
    ``window_mean(values, position, size)`` is the text features' neighbourhood mean
    (:func:`kliping.clean.features._window_mean`), so both kinds of features average the same neighbours.
    """
    rows = []
    link_at = STRUCTURE_NAMES.index("link_share")
    for lines, structure, shares, language in pages:
        position, size = np.arange(len(lines)), np.full(len(lines), len(lines))
        extra = np.column_stack(
            [
                shares,
                window_mean(shares, position, size),
                window_mean(structure[:, link_at], position, size),
                cue_lines(lines, language),
            ]
        ).reshape(len(lines), len(LANGUAGE_FEATURES))
        rows.append(np.hstack([structure, extra]))
    if not rows:
        return np.zeros((0, len(MARKUP_FEATURE_NAMES)))
    return np.vstack(rows)
