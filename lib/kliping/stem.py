"""Stem Indonesian news text with Sastrawi: faster, and right more often.

Calling PySastrawi's ``stemmer.stem(doc)`` on every article is slow (it
normalises and looks up every token of every document) and it gets frequent
news words wrong: ``pasukan -> pasu``, ``perbankan -> perban``,
``menikah -> meni``. This module

* tokenizes keeping what matters for news (case, ``Nagorno-Karabakh``,
  ``KOMPAS.com``, URLs and e-mail addresses as single tokens),
* stems every *distinct* word once, in parallel when the vocabulary is large,
  with a persistent on-disk cache,
* corrects Sastrawi with general rules: all affix readings whose root is in
  Sastrawi's own dictionary are collected and the most plausible one is kept
  (longest root, letters kept as written, a confix reading before a root that
  still looks prefixed), plus a small documented override table
  (``data/stem_overrides.tsv``),
* keeps proper nouns: a word written with a capital in most of its
  occurrences that do not start a sentence (Bekasi, Bali, Pompeo) is not
  stemmed,
* drops stopwords (``data/stopwords_id.txt``: Sastrawi ∪ Tala ∪ news words).

Numbers are dropped on purpose: years and amounts say nothing about a topic.
URLs, e-mail addresses and site names are kept whole by :func:`tokenize` (so
they leave no ``https``/``com`` junk) and then dropped by the stemmer: they name
the publisher, not the topic.

Examples
--------
>>> from kliping.stem import stem_word, tokenize
>>> stem_word("perbankan"), stem_word("menikah"), stem_word("pemerintahan")
('bank', 'nikah', 'perintah')
>>> tokenize("Baca juga: KOMPAS.com - Konflik Nagorno-Karabakh, 2.500 orang mengungsi.")
['Baca', 'juga', 'KOMPAS.com', 'Konflik', 'Nagorno-Karabakh', '2.500', 'orang', 'mengungsi']
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import re
import sys
import tempfile
from collections import Counter
from itertools import chain
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple

from tqdm import tqdm  # plain bars: no ipywidgets warning in notebooks

from kliping import config

#: Bump when a change here changes any stem, so old caches are not reused.
ALGORITHM_VERSION = "3"

DATA_DIR = Path(__file__).resolve().parent / "data"
STOPWORDS_FILE = DATA_DIR / "stopwords_id.txt"
OVERRIDES_FILE = DATA_DIR / "stem_overrides.tsv"
ROOT_FREQUENCY_FILE = DATA_DIR / "root_frequency.tsv"

#: Below this many new words the process pool costs more than it saves.
PARALLEL_MIN_WORDS = 20_000
CHUNK_SIZE = 2_000

# --------------------------------------------------------------------------- tokenizer
_TLDS = r"(?:co\.id|go\.id|ac\.id|or\.id|com|net|org|id|tv|news|info|io)"
# Cheap hint that a text may hold a URL, e-mail or site name; most stretches of text have none.
_SPECIAL_HINT = re.compile(r"@|://|www\.|\." + _TLDS + r"\b", re.IGNORECASE)
_SPECIAL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]"  # URL
    r"|[\w.+-]+@\w[\w-]*(?:\.[\w-]+)+"  # e-mail address
    r"|(?:[^\W_][\w-]*\.)+" + _TLDS + r"\b",  # site name: KOMPAS.com, detik.com
    re.IGNORECASE,
)
_NON_SPACE_RUN = re.compile(r"\S*")
# Substrings that must be present for _SPECIAL_HINT to match; `in` is much faster than a regex scan.
_SPECIAL_MARKERS = ("@", "://", "www.", "WWW.", ".co", ".id", ".or", ".net", ".tv", ".io", ".go", ".ac",
                    ".news", ".info", ".CO", ".ID")
_PLAIN_TOKEN = re.compile(
    r"\d+(?:[.,:/]\d+)+"  # number with separators: 2.500, 9/9, 06:32
    r"|\w+(?:[-'’]\w+)*"  # word (may hold digits: G20, COVID-19, 2019), hyphenated or with an apostrophe
)
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_LETTER = re.compile(r"[^\W\d_]")


def tokenize(text: str) -> list[str]:
    """Split text into words, keeping the case and what a news reader would keep whole.

    * words keep their case (needed to spot proper nouns),
    * hyphenated words stay one token (``Nagorno-Karabakh``, ``anak-anak``, ``COVID-19``),
    * URLs, e-mail addresses and site names stay one token (``KOMPAS.com``),
    * numbers stay one token with their separators (``2.500``, ``9/9``); the
      stemmer drops them later.

    Parameters
    ----------
    text : str
        Any text; ``None`` is not accepted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tokenize("Kirim ke redaksi@kompas.com atau buka https://kompas.id/baca?x=1.")
    ['Kirim', 'ke', 'redaksi@kompas.com', 'atau', 'buka', 'https://kompas.id/baca?x=1']
    >>> tokenize("Jum'at, anak-anak ikut e-KTP 5G")
    ["Jum'at", 'anak-anak', 'ikut', 'e-KTP', '5G']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str, got {type(text).__name__}")
    if not any(marker in text for marker in _SPECIAL_MARKERS):
        return _PLAIN_TOKEN.findall(text)
    tokens: list[str] = []
    position = 0
    for hint in _SPECIAL_HINT.finditer(text):
        if hint.start() < position:
            continue
        # The special token is the whitespace-delimited chunk around the hint, trimmed by _SPECIAL.
        chunk_start = max(text.rfind(" ", 0, hint.start()), text.rfind("\n", 0, hint.start()),
                          text.rfind("\t", 0, hint.start())) + 1
        chunk_start = max(chunk_start, position)
        chunk_end = _NON_SPACE_RUN.match(text, hint.start()).end()
        special = _SPECIAL.search(text, chunk_start, chunk_end)
        if special is None:
            continue
        tokens.extend(_PLAIN_TOKEN.findall(text, position, special.start()))
        tokens.append(special.group())
        position = special.end()
    tokens.extend(_PLAIN_TOKEN.findall(text, position))
    return tokens


def token_kind(token: str) -> str:
    """Classify a token from :func:`tokenize`: ``word``, ``number``, ``url``, ``email``, ``site`` or ``symbol``.

    Examples
    --------
    >>> [token_kind(t) for t in ["Bekasi", "2.500", "KOMPAS.com", "a@b.id", "www.x.com", "G20", "__"]]
    ['word', 'number', 'site', 'email', 'url', 'word', 'symbol']
    """
    if _NUMBER.fullmatch(token):
        return "number"
    if "@" in token:
        return "email"
    if "://" in token or token.lower().startswith("www."):
        return "url"
    if "." in token:
        return "site"
    return "word" if _LETTER.search(token) else "symbol"


# --------------------------------------------------------------------------- word lists
def _read_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The merged stopword list shipped with kliping (see the header of ``data/stopwords_id.txt``).

    Examples
    --------
    >>> stopwords = load_stopwords()
    >>> "yang" in stopwords, "wib" in stopwords, "menteri" in stopwords
    (True, True, False)
    """
    return frozenset(_read_list(STOPWORDS_FILE))


@lru_cache(maxsize=1)
def load_overrides() -> dict[str, str]:
    """The override table ``data/stem_overrides.tsv`` as ``{word: stem}``.

    Examples
    --------
    >>> load_overrides()["pemilu"]
    'pemilu'
    """
    rows = _read_list(OVERRIDES_FILE)
    table = {}
    for row in rows[1:]:  # first row is the column header
        word, stem, _why = row.split("\t")
        table[word] = stem
    return table


@lru_cache(maxsize=1)
def load_root_frequency() -> dict[str, int]:
    """How often each Sastrawi root is written as a word of its own in news (``data/root_frequency.tsv``).

    Examples
    --------
    >>> frequency = load_root_frequency()
    >>> frequency["hati"] > 100 * frequency.get("perhati", 0)
    True
    """
    if not ROOT_FREQUENCY_FILE.exists():
        return {}
    rows = _read_list(ROOT_FREQUENCY_FILE)
    return {root: int(count) for root, count in (row.split("\t") for row in rows[1:])}


def sastrawi_version() -> str:
    """Installed PySastrawi version, part of the cache key."""
    return importlib.metadata.version("PySastrawi")


def cache_key() -> str:
    """Key of the on-disk stem cache: PySastrawi version, override table and algorithm version.

    Examples
    --------
    >>> len(cache_key())
    16
    """
    digest = hashlib.sha256()
    digest.update(sastrawi_version().encode())
    digest.update(OVERRIDES_FILE.read_bytes())
    if ROOT_FREQUENCY_FILE.exists():
        digest.update(ROOT_FREQUENCY_FILE.read_bytes())
    digest.update(ALGORITHM_VERSION.encode())
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------- stemmer
class _Reading(NamedTuple):
    """One way to read a word as affixes around a dictionary root."""

    root: str
    prefixes: int  # prefix layers removed (0-3)
    suffix: str  # derivational suffix removed: "", "i", "kan", "an", "is", ...
    outer: str  # class of the outermost prefix ("pe", "ke", "ber", ...), "" when none
    clitics: int  # particles (-lah, -kah) and possessives (-nya, -ku) removed
    question: bool  # the question particle -kah or -tah was removed
    infix: bool  # an infix rule (-el-, -er-, -em-, -in-) was used
    secondary: bool = False  # a later alternative of a Sastrawi rule group whose first one also hit (be-rupa)

    @property
    def affixes(self) -> int:
        return self.prefixes + (self.suffix != "") + self.clitics


_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONALS = ("isasi", "isme", "kan", "an", "is", "i")
# Prefix shapes a root can start with, e.g. perban (per-), petan (pe-); longest first.
# ke- + a cardinal makes an ordinal (kedua "second", kedelapan "eighth"), a numeral of its own, not a
# ke-...-an noun: Sastrawi reads kedelapan as ke-delap-an and kedua as dua. Ordinals are kept whole.
_CARDINALS = ("satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
              "sebelas", "seratus", "seribu")
ORDINALS = frozenset("ke" + cardinal for cardinal in _CARDINALS)

_PREFIX_SHAPES = ("peng", "peny", "meng", "meny", "ber", "per", "pem", "pen", "mem", "men", "ter",
                  "pe", "me", "te", "di", "ke", "se", "be")
# Outermost prefix classes (longest first) and the derivational suffixes they never combine with.
# pe(N)-/per-/ke-/se- make nouns and adverbs (pe-an, per-an, ke-an), never verbs in -kan or -i; se- takes
# no -an either; ber- takes no -i; me-/di-/ter- take no -an (Asian 2007, the pairs Sastrawi lists).
_OUTER_PREFIXES = ("per", "pe", "ke", "se", "ber", "be", "me", "di", "ter", "te")
_INVALID_CONFIXES = {
    "per": ("kan", "i"), "pe": ("kan", "i"), "ke": ("kan", "i"), "se": ("kan", "i", "an"),
    "ber": ("i", "is"), "be": ("i", "is"), "me": ("an",), "di": ("an",), "ter": ("an",), "te": ("an",),
}


class _PrefixRule(NamedTuple):
    """One of Sastrawi's prefix rule groups: alternatives tried in order (``ber-V`` before ``be-rV``)."""

    alternatives: tuple  # (compiled guard pattern, disambiguate function) pairs
    kind: str  # "prefix", "infix" (-el-, -er-, -em-, -in-) or "pronoun" (ku-, kau-)


def _guard(rule) -> re.Pattern:
    """A compiled pattern that every word a Sastrawi disambiguator can change matches.

    Sastrawi calls ``re.match`` with a pattern string on every try, and most
    tries fail; testing the same pattern precompiled first skips them cheaply.
    Rules that also test whole words (``word == 'belajar'``) accept those too.
    """
    import inspect

    source = inspect.getsource(type(rule))
    patterns = re.findall(r"re\.match\(r'([^']*)'", source)[:1]
    patterns += [f"^{re.escape(word)}$" for word in re.findall(r"word == '([a-z]+)'", source)]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns) if patterns else "")


def _prefix_rules_by_letter() -> dict[str, list[_PrefixRule]]:
    """Sastrawi's prefix rule groups, in Sastrawi's order, by the first letter of the words they apply to.

    Sastrawi tries its ~40 rule groups on every word; only a few can match a
    given first letter, so grouping them (and testing each alternative's
    pattern precompiled before calling it, see :func:`_guard`) makes the
    search several times faster.
    """
    from Sastrawi.Stemmer.Context.Visitor.VisitorProvider import VisitorProvider

    alphabet = "abcdefghijklmnopqrstuvwxyz"
    groups: dict[str, list[_PrefixRule]] = {letter: [] for letter in alphabet}
    for visitor in VisitorProvider().get_prefix_visitors():
        rules = getattr(visitor, "disambiguators", [])
        if not rules:
            continue  # RemovePlainPrefix (di-, ke-, se-) is handled directly
        number = int(re.search(r"Rule(\d+)", type(rules[0]).__name__).group(1))
        kind = "infix" if 37 <= number <= 40 else "pronoun" if number in (41, 42) else "prefix"
        alternatives = tuple((_guard(rule), rule.disambiguate) for rule in rules)
        # The first letters a rule group's patterns allow ("(" opens a consonant class).
        letters = set()
        for guard, _ in alternatives:
            first = re.match(r"\(\?:\^?(?:\(?\[([a-z]+)\]|([a-z]))", guard.pattern)
            letters |= set(alphabet) if first is None else set(first.group(1) or first.group(2))
        for letter in letters:
            groups[letter].append(_PrefixRule(alternatives, kind))
    return groups


class KlipingStemmer:
    """Sastrawi with corrections; stems one lowercase word at a time.

    Sastrawi commits to the first affix it can remove and stops at the first
    dictionary hit, so ``menikah`` becomes ``meni`` + ``-kah``. kliping instead
    collects every reading "prefixes + root + suffixes" that Sastrawi's own
    rules allow and whose root is in Sastrawi's dictionary, sets aside the
    implausible ones, and only then lets Sastrawi's order decide:

    * a prefix/suffix pair that Indonesian does not combine (pe-...-kan,
      se-...-i, me-...-an; ``penarikan`` is pe-tarik-an, not pe-tari-kan),
    * an infix reading (-el-, -er-, -em-, -in-: ``relawan`` is not r-el-awan),
    * the question particles -kah/-tah (``menikah`` is me-nikah),
    * a suffix-only root that itself looks prefixed when a prefixed reading
      with another suffix explains it (``perbankan``: per-bank-an, not perban-kan),
    * ku-/kau- under another prefix (``dikuasai`` is not di-ku-asai),
    * a pe-/per-/ke- noun in -an read with the -an inside the root
      (``pengawasan``: peng-awas-an, not peng-kawasan),
    * within one Sastrawi rule group the first alternative in the dictionary
      wins (``memasuki``: me-masuk-i, not me-pasuk-i) unless a later one's root
      is far more common in news (``berupa``: be-rupa, not ber-upa), and a dead
      end is given up for the next rule instead of ending the search.

    Among the plausible readings with different roots, those with the fewest
    affixes are kept; a root written alone in news far more often than the
    others then wins (``perhatian``: hati, not the entry perhati); else
    Sastrawi's own answer (with the same dictionary) when it is one of them,
    else the longest root. A suffix-only reading ``X-i`` with a root of three
    letters or fewer is not taken (``bali`` is not ``bal-i``). The override
    table comes first, and ordinals stay whole (``kedua``, ``kedelapan``).

    Parameters
    ----------
    overrides : dict, optional
        ``{word: stem}``; default :func:`load_overrides`. Entries with
        ``word == stem`` are also added to the dictionary as roots.

    Examples
    --------
    >>> stemmer = KlipingStemmer()
    >>> [stemmer.stem(w) for w in ["senilai", "memasuki", "berbasis", "persetujuan"]]
    ['nilai', 'masuk', 'basis', 'setuju']
    """

    def __init__(self, overrides: dict[str, str] | None = None):
        from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
        from Sastrawi.Stemmer.Stemmer import Stemmer
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        self.overrides = dict(load_overrides() if overrides is None else overrides)
        self.root_frequency = load_root_frequency()
        roots = [w for w in StemmerFactory().get_words() if w]
        roots += [w for w, s in self.overrides.items() if w == s]
        self.dictionary = frozenset(roots)
        # Sastrawi itself, on the same dictionary: its answer breaks ties between plausible readings.
        self._sastrawi = Stemmer(ArrayDictionary(roots))
        self._rules = _prefix_rules_by_letter()

    # -- public
    def stem(self, word: str) -> str:
        """Stem one lowercase word (plural ``anak-anak`` -> ``anak``)."""
        if word in self.overrides:
            return self.overrides[word]
        if "-" in word and self._is_plural(word):
            return self._stem_plural(word)
        return self._stem_singular(word)

    def readings(self, word: str) -> list[_Reading]:
        """All readings of ``word`` whose root is in the dictionary (no overrides applied).

        Examples
        --------
        >>> sorted(r.root for r in KlipingStemmer().readings("perbankan"))
        ['ban', 'bank', 'perban']
        """
        outer = next((p for p in _OUTER_PREFIXES if word.startswith(p)), "")
        found: dict[tuple, _Reading] = {}
        for stripped, suffix, clitics, question in self._suffix_forms(word):
            removed_something = stripped != word
            short_i = suffix == "i" and clitics == 0 and len(stripped) <= 3
            if removed_something and not short_i and stripped in self.dictionary:
                found[(stripped, 0, suffix)] = _Reading(stripped, 0, suffix, "", clitics, question, False)
            for root, layers, infix, secondary in self._prefix_roots(stripped):
                if not infix:
                    found.setdefault((root, layers, suffix),
                                     _Reading(root, layers, suffix, outer, clitics, question, infix, secondary))
        return list(found.values())

    # -- plural, as in Sastrawi's Stemmer.stem_plural_word, but with our singular stemmer
    @staticmethod
    def _is_plural(word: str) -> bool:
        match = re.match(r"^(.*)-(ku|mu|nya|lah|kah|tah|pun)$", word)
        if match:
            return "-" in match.group(1)
        return True

    def _stem_plural(self, word: str) -> str:
        first, second = word.rsplit("-", 1)
        if second in ("ku", "mu", "nya", "lah", "kah", "tah", "pun") and "-" in first:
            first, inner = first.rsplit("-", 1)
            second = inner + "-" + second  # malaikat-malaikat-nya -> malaikat, malaikat-nya
        root1, root2 = self._stem_singular(first), self._stem_singular(second)
        if second not in self.dictionary and root2 == second:
            root2 = self._stem_singular("me" + second)  # meniru-nirukan -> tiru
        return root1 if root1 == root2 else word

    # -- singular
    def _stem_singular(self, word: str) -> str:
        if word in self.overrides:
            return self.overrides[word]
        letters = word.replace("-", "")
        if word in self.dictionary or len(word) <= 3 or not (letters.isascii() and letters.isalpha()):
            return word
        for form, suffix, _clitics, _question in self._suffix_forms(word):
            if not suffix and form in self.overrides:  # berikanku -> berikan -> beri
                return self.overrides[form]
            if not suffix and form in ORDINALS:  # keduanya -> kedua
                return form
        readings = self.readings(word)
        if not readings:
            return word
        return self._choose(word, readings)

    @staticmethod
    def _looks_prefixed(reading: _Reading, readings: list[_Reading]) -> bool:
        """True for a suffix-only root like ``perban`` when a confix reading with another suffix explains it.

        The root must start with a prefix shape whose remainder (``ban``) sits
        inside the confix reading's root (``bank``, read per-bank-an); ``beri``
        (remainder ``i``) is too short to count, and ``kemas-an`` is kept
        because ke-mas-an has the same suffix.
        """
        if reading.prefixes or not reading.suffix:
            return False
        for shape in _PREFIX_SHAPES:
            rest = reading.root[len(shape):]
            if reading.root.startswith(shape) and len(rest) >= 3:
                return any(other.prefixes and other.suffix and other.suffix != reading.suffix
                           and rest in other.root for other in readings)
        return False

    def _implausibility(self, reading: _Reading, readings: list[_Reading], commonest: str | None = None) -> tuple:
        """How many reasons speak against a reading, most serious first (smaller is better)."""
        return (
            reading.infix,
            reading.secondary and reading.root != commonest,
            reading.suffix in _INVALID_CONFIXES.get(reading.outer, ()),
            reading.question,
            self._looks_prefixed(reading, readings),
            self._bare_kan_verb(reading, readings),
            self._hides_noun_suffix(reading, readings),
        )

    @staticmethod
    def _hides_noun_suffix(reading: _Reading, readings: list[_Reading]) -> bool:
        """True when a pe-/per-/ke- word ending in -an is read with the -an inside the root.

        Such words are pe-an/per-an/ke-an nouns, so peng-kawasan and ke-jaran
        lose to peng-awas-an and kejar-an.
        """
        return (reading.outer in ("pe", "per", "ke") and not reading.suffix and reading.root.endswith("an")
                and any(other.suffix == "an" for other in readings))

    @staticmethod
    def _bare_kan_verb(reading: _Reading, readings: list[_Reading]) -> bool:
        """True for X-kan without prefix when Xk-an is also a reading (``gerakan``: gerak-an, not gera-kan).

        A bare -kan verb is an imperative, rare in news prose; nouns in -an are
        common. Frequent imperatives (berikan, katakan) are in the override table.
        """
        return (reading.prefixes == 0 and reading.suffix == "kan"
                and any(o.prefixes == 0 and o.suffix == "an" and o.root == reading.root + "k" for o in readings))

    def _choose(self, word: str, readings: list[_Reading]) -> str:
        """The most plausible root among ``readings`` (see the class docstring)."""
        commonest = self._commonest_root(readings) if any(r.secondary for r in readings) else None
        scored = [(self._implausibility(r, readings, commonest), r) for r in readings]
        best = min(score for score, _ in scored)
        plausible = [r for score, r in scored if score == best]
        if len({r.root for r in plausible}) > 1:
            # Fewest affixes, counting the suffix hidden in a derived dictionary entry (belian = beli-an).
            fewest = min(self._affixes(r) for r in plausible)
            tied = [r for r in plausible if self._affixes(r) == fewest]
            common = self._commonest_root(tied)
            plausible = [r for r in plausible if r.root == common] if common else tied
        roots = {r.root for r in plausible}
        if len(roots) == 1:
            return plausible[0].root
        sastrawi = self._sastrawi.stem_word(word)
        if sastrawi in roots:
            return sastrawi
        return min(plausible, key=lambda r: (-len(r.root), r.root not in word, r.root)).root

    #: A root wins a tie on frequency when it is seen at least this many times, and this many times more
    #: often than the next candidate (a clear gap, not a coin toss between two common words).
    DOMINANCE = 20
    MIN_COUNT = 20

    def _commonest_root(self, readings: list[_Reading]) -> str | None:
        """The root written far more often as a word of its own than every other candidate, if there is one.

        ``melambang`` and ``perhati`` are dictionary entries that news almost never
        writes alone; ``lambang`` and ``hati`` are everyday words.
        """
        counts = sorted(((self.root_frequency.get(root, 0), root) for root in {r.root for r in readings}),
                        reverse=True)
        if len(counts) < 2:
            return None
        (top, root), (second, _) = counts[0], counts[1]
        return root if top >= self.MIN_COUNT and top >= self.DOMINANCE * max(second, 1) else None

    def _affixes(self, reading: _Reading) -> int:
        """Affixes of a reading, plus one when its root is itself a derived entry.

        Sastrawi's dictionary holds some derived words (``belian`` = beli-an,
        ``alami`` = alam-i, ``keduduk`` = ke-duduk); reading ``pembelian`` as
        pem-belian hides an affix, so it does not count as simpler than pem-beli-an.
        """
        root = reading.root
        derived_by_suffix = any(
            root.endswith(suffix) and len(root) - len(suffix) >= minimum and root[: -len(suffix)] in self.dictionary
            for suffix, minimum in (("kan", 3), ("an", 3), ("i", 4))
        )
        derived_by_prefix = any(
            # a two-letter shape needs a longer remainder: terang is not te-rang
            root.startswith(shape) and len(root) - len(shape) >= (5 if len(shape) == 2 else 4)
            and root[len(shape):] in self.dictionary
            for shape in _PREFIX_SHAPES
        )
        return reading.affixes + (derived_by_suffix or derived_by_prefix)

    @staticmethod
    def _suffix_forms(word: str) -> list[tuple[str, str, int, bool]]:
        """``word`` with none, some or all of particle, possessive and derivational suffix removed.

        Returns ``(form, derivational suffix removed or "", clitics removed, question particle removed)``.
        """
        forms = [(word, 0, False)]
        for particle in _PARTICLES:
            if word.endswith(particle) and len(word) > len(particle) + 2:
                forms.append((word[: -len(particle)].rstrip("-"), 1, particle in ("kah", "tah")))
        for base, clitics, question in list(forms):
            for possessive in _POSSESSIVES:
                if base.endswith(possessive) and len(base) > len(possessive) + 2:
                    forms.append((base[: -len(possessive)].rstrip("-"), clitics + 1, question))
        result = [(form, "", clitics, question) for form, clitics, question in forms]
        for base, clitics, question in forms:
            for suffix in _DERIVATIONALS:
                if base.endswith(suffix) and len(base) > len(suffix) + 2:
                    result.append((base[: -len(suffix)], suffix, clitics, question))
        return result

    def _prefix_roots(self, word: str, depth: int = 0, infix: bool = False) -> list[tuple[str, int, bool, bool]]:
        """Dictionary roots reachable by removing 1-3 prefix layers.

        Returns ``(root, layers, used an infix rule, secondary)`` tuples. Within one
        Sastrawi rule group the first alternative found in the dictionary wins, as
        in Sastrawi (``beradu``: ber-adu, not be-radu); later alternatives that are
        dictionary roots too are kept as *secondary* readings, which only win when
        their root is far more common (``berupa``: be-rupa, not ber-upa). Unlike
        Sastrawi, every group is tried and a dead end is given up for the next.
        The pronoun prefixes ku-/kau- are only taken as the outermost layer
        (``dikuasai`` is not di-ku-asai).
        """
        if depth == 3 or len(word) < 4:
            return []
        steps: dict[str, tuple[bool, bool]] = {}  # step -> (used an infix rule, secondary)
        if word[:2] in ("di", "ke", "se"):
            steps[word[2:]] = (infix, False)
        for rule in self._rules.get(word[0], ()):
            if rule.kind == "pronoun" and depth > 0:
                continue
            hit = False
            for guard, disambiguate in rule.alternatives:
                if guard.match(word) is None:
                    continue
                result = disambiguate(word)
                if not result or result == word or (hit and result not in self.dictionary):
                    continue
                steps.setdefault(result, (infix or rule.kind == "infix", hit))
                hit = hit or result in self.dictionary
        results = []
        for step, (used_infix, secondary) in steps.items():
            if step in self.dictionary:
                results.append((step, depth + 1, used_infix, secondary))
            else:  # never a secondary step: one is kept only when it is a root
                results.extend(self._prefix_roots(step, depth + 1, used_infix))
        return results


@lru_cache(maxsize=1)
def get_stemmer() -> KlipingStemmer:
    """The shared :class:`KlipingStemmer` (built once per process)."""
    return KlipingStemmer()


def stem_word(word: str) -> str:
    """Stem one lowercase word with kliping's corrections.

    Parameters
    ----------
    word : str
        One word, lowercase (``"pemerintahan"``); use :func:`stem_corpus` for text.

    Examples
    --------
    >>> [stem_word(w) for w in ["penarikan", "dikuasai", "perpajakan", "anak-anak"]]
    ['tarik', 'kuasa', 'pajak', 'anak']
    """
    if not isinstance(word, str):
        raise TypeError(f"stem_word expects a str, got {type(word).__name__}")
    if word != word.lower():
        raise ValueError(f"stem_word expects a lowercase word, got {word!r}")
    return get_stemmer().stem(word)


def raw_sastrawi_stemmer():
    """A fresh PySastrawi stemmer (with its empty in-memory cache), the baseline kliping is compared with."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


# --------------------------------------------------------------------------- cache
def cache_file(cache_dir: Path | str | None = None) -> Path:
    """Where the stem cache for the current :func:`cache_key` lives (``config.CACHE_DIR`` by default)."""
    folder = Path(cache_dir) if cache_dir is not None else config.CACHE_DIR
    return folder / f"stems_{cache_key()}.json"


def load_cache(cache_dir: Path | str | None = None) -> dict[str, str]:
    """The cached ``{word: stem}`` map; empty when there is none or it is unreadable."""
    path = cache_file(cache_dir)
    try:
        with path.open(encoding="utf-8") as handle:
            cached = json.load(handle)
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return cached if isinstance(cached, dict) else {}


def _write_json_atomically(path: Path, payload) -> None:
    """Write JSON to a temporary file beside ``path``, then rename it into place (atomic on POSIX)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_cache(stems: dict[str, str], cache_dir: Path | str | None = None) -> Path:
    """Merge ``stems`` into the cache file, safely when two processes write at once.

    The file is re-read just before writing (another run may have added
    words), written to a temporary file in the same folder and moved into
    place with an atomic rename, so a reader never sees half a file.
    """
    path = cache_file(cache_dir)
    merged = load_cache(cache_dir)
    merged.update(stems)
    _write_json_atomically(path, merged)
    return path


# --------------------------------------------------------------------------- vocabulary
def _stem_chunk(words: list[str]) -> list[str]:
    """Worker: stem a chunk of words (module level so a process pool can pickle it)."""
    stemmer = get_stemmer()
    return [stemmer.stem(word) for word in words]


def stem_vocabulary(
    words: Iterable[str],
    cache_dir: Path | str | None = None,
    n_jobs: int | None = None,
    progress: bool = True,
    use_cache: bool = True,
) -> dict[str, str]:
    """Stem each distinct lowercase word once, reusing and filling the on-disk cache.

    Parameters
    ----------
    words : iterable of str
        Lowercase words; duplicates are stemmed once.
    cache_dir : path, optional
        Folder of the cache (default ``config.CACHE_DIR``).
    n_jobs : int, optional
        Processes for the new words; default: all cores when there are at
        least ``PARALLEL_MIN_WORDS`` new words, else 1.
    progress : bool
        Show a tqdm bar (on stderr) while stemming new words.
    use_cache : bool
        ``False`` ignores and leaves the cache alone (for measurements).

    Returns
    -------
    dict
        ``{word: stem}`` for every word.

    Examples
    --------
    >>> stem_vocabulary(["pemerintahan", "perbankan"], use_cache=False, progress=False)
    {'pemerintahan': 'perintah', 'perbankan': 'bank'}
    """
    distinct = list(dict.fromkeys(words))
    cached = load_cache(cache_dir) if use_cache else {}
    stems = {word: cached[word] for word in distinct if word in cached}
    new = [word for word in distinct if word not in stems]
    if not new:
        return stems
    if n_jobs is None:
        n_jobs = (os.cpu_count() or 1) if len(new) >= PARALLEL_MIN_WORDS else 1
    chunks = [new[i : i + CHUNK_SIZE] for i in range(0, len(new), CHUNK_SIZE)]
    bar = tqdm(total=len(new), desc="stemming new words", unit="word", disable=not progress, file=sys.stderr)
    if n_jobs > 1 and len(chunks) > 1:
        get_stemmer()  # build it before forking, so the workers inherit it
        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            for chunk, result in zip(chunks, pool.map(_stem_chunk, chunks)):
                stems.update(zip(chunk, result))
                bar.update(len(chunk))
    else:
        for chunk in chunks:
            stems.update(zip(chunk, _stem_chunk(chunk)))
            bar.update(len(chunk))
    bar.close()
    if use_cache:
        save_cache({word: stems[word] for word in new}, cache_dir)
    return stems


# --------------------------------------------------------------------------- corpus
# The first word of a sentence or paragraph (its capital says nothing about being a name).
_OPENING = r"[\s,;“”\"'‘’()\-–—]*([^\W\d_][\w'’-]*)"
_SENTENCE_START = re.compile(r"[.!?…\n]" + _OPENING)
_TEXT_START = re.compile(_OPENING)


@dataclass
class StemResult:
    """What :func:`stem_corpus` returns.

    Attributes
    ----------
    tokens : list of list of str
        One list of stems per text, stopwords, numbers and web addresses removed.
    display_words : dict
        For every stem, its most frequent surface form in the corpus
        (``"perintah" -> "pemerintah"``), to show topic words readably.
    stem_of : dict
        ``{lowercase word: stem}`` for every kept word of the corpus.
    proper_nouns : set
        Lowercase words kept unstemmed because they are mostly capitalised.
    vocabulary_before, vocabulary_after : int
        Distinct lowercase words kept, and distinct stems.
    n_tokens : int
        Tokens kept in all texts.
    """

    tokens: list[list[str]]
    display_words: dict[str, str]
    stem_of: dict[str, str]
    proper_nouns: set[str] = field(default_factory=set)
    vocabulary_before: int = 0
    vocabulary_after: int = 0
    n_tokens: int = 0


def find_proper_nouns(texts: list[str], surface_counts: Counter) -> set[str]:
    """Lowercase words written with a capital in most occurrences that do not start a sentence.

    Parameters
    ----------
    texts : list of str
        The corpus (to find sentence starts).
    surface_counts : Counter
        Counts of the tokens of ``texts`` with their case.

    Examples
    --------
    >>> texts = ["Banjir di Bekasi. Warga Bekasi mengungsi.", "Warga kota Bekasi dan warga desa."]
    >>> sorted(find_proper_nouns(texts, Counter(t for x in texts for t in tokenize(x))))
    ['bekasi']
    """
    at_start = Counter()
    for text in texts:
        at_start.update(_SENTENCE_START.findall(text))
        first = _TEXT_START.match(text)
        if first:
            at_start[first.group(1)] += 1
    capitalised, total = Counter(), Counter()
    for token, count in surface_counts.items():
        lower = token.lower()
        inside = count - at_start.get(token, 0)  # occurrences not opening a sentence
        if inside <= 0:
            continue
        total[lower] += inside
        if token[0].isupper():
            capitalised[lower] += inside
    return {word for word, count in capitalised.items() if count * 2 > total[word]}


def stem_corpus(
    texts: Iterable[str],
    cache_dir: Path | str | None = None,
    progress: bool = True,
    n_jobs: int | None = None,
    use_cache: bool = True,
) -> StemResult:
    """Tokenize, drop stopwords and stem a whole corpus, each distinct word once.

    Parameters
    ----------
    texts : iterable of str
        Article bodies; ``None`` or NaN count as empty text.
    cache_dir : path, optional
        Folder of the stem cache (default ``config.CACHE_DIR``).
    progress : bool
        tqdm bars (stderr) for tokenizing and stemming.
    n_jobs : int, optional
        Processes for stemming new words (see :func:`stem_vocabulary`).
    use_cache : bool
        ``False`` neither reads nor writes the caches.

    Returns
    -------
    StemResult

    Notes
    -----
    Two caches sit in ``cache_dir``: word -> stem for every word ever stemmed
    (shared by all corpora), and the whole result for exactly these texts
    (a second run of the notebooks on the same corpus just reads it).

    Examples
    --------
    >>> result = stem_corpus(["Pemerintah Bekasi menagih pajak.", "Pemerintahan baru di Bekasi."],
    ...                      progress=False, use_cache=False)
    >>> result.tokens
    [['perintah', 'bekasi', 'tagih', 'pajak'], ['perintah', 'bekasi']]
    >>> result.display_words["perintah"]
    'pemerintah'
    """
    texts = [text if isinstance(text, str) else "" for text in texts]
    if use_cache:
        corpus_path = corpus_cache_file(texts, cache_dir)
        cached = _read_corpus_cache(corpus_path)
        if cached is not None:
            return cached
    stopwords = load_stopwords()
    tokenized = [tokenize(text) for text in tqdm(texts, desc="tokenizing", unit="text",
                                                  disable=not progress, file=sys.stderr)]
    surface_counts = Counter(chain.from_iterable(tokenized))

    # Decide once per distinct surface token: drop it, or which lowercase word it is.
    lower_of: dict[str, str] = {}
    lower_counts: Counter = Counter()
    for token, count in surface_counts.items():
        lower = token.lower()
        if len(lower) > 1 and lower not in stopwords and (token.isalpha() or token_kind(token) == "word"):
            lower_of[token] = lower
            lower_counts[lower] += count
    proper_nouns = find_proper_nouns(texts, Counter({token: surface_counts[token] for token in lower_of}))
    to_stem = sorted(lower for lower in lower_counts if lower not in proper_nouns)
    stems = stem_vocabulary(to_stem, cache_dir=cache_dir, n_jobs=n_jobs, progress=progress, use_cache=use_cache)
    stem_of = {lower: (lower if lower in proper_nouns else stems[lower]) for lower in lower_counts}
    stem_of = {lower: stem for lower, stem in stem_of.items() if stem not in stopwords}
    final = {token: stem_of[lower] for token, lower in lower_of.items() if lower in stem_of}

    lookup = final.get
    token_lists = [list(filter(None, map(lookup, tokens))) for tokens in tokenized]
    result = StemResult(
        tokens=token_lists,
        display_words=_display_words(lower_counts, stem_of),
        stem_of=stem_of,
        proper_nouns=proper_nouns,
        vocabulary_before=len(stem_of),
        vocabulary_after=len(set(stem_of.values())),
        n_tokens=sum(map(len, token_lists)),
    )
    if use_cache:
        stored = {item.name: getattr(result, item.name) for item in dataclasses.fields(result)}  # no deep copy
        _write_json_atomically(corpus_path, stored | {"proper_nouns": sorted(proper_nouns)})
    return result


def corpus_cache_file(texts: list[str], cache_dir: Path | str | None = None) -> Path:
    """Where the whole :class:`StemResult` of ``texts`` is cached.

    The name holds :func:`cache_key` and a hash of the stopword list and of
    every text in order: proper nouns depend on the whole corpus, so a result
    is only reused for exactly the same texts.
    """
    digest = hashlib.blake2b(digest_size=12)
    digest.update(STOPWORDS_FILE.read_bytes())
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    folder = Path(cache_dir) if cache_dir is not None else config.CACHE_DIR
    return folder / f"corpus_{cache_key()}_{digest.hexdigest()}.json"


def _read_corpus_cache(path: Path) -> StemResult | None:
    try:
        with path.open(encoding="utf-8") as handle:
            stored = json.load(handle)
        stored["proper_nouns"] = set(stored["proper_nouns"])
        return StemResult(**stored)
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError):
        return None


def _display_words(lower_counts: Counter, stem_of: dict[str, str]) -> dict[str, str]:
    """Most frequent lowercase surface form per stem; ties go to the shorter, then alphabetical form."""
    best: dict[str, tuple] = {}
    for form, stem in stem_of.items():
        key = (-lower_counts[form], len(form), form)
        if stem not in best or key < best[stem]:
            best[stem] = key
    return {stem: best[stem][2] for stem in sorted(best)}


def stem_documents(texts: Iterable[str], cache_dir: Path | str | None = None) -> list[list[str]]:
    """One list of stems per text, stopwords removed (thin wrapper of :func:`stem_corpus`).

    Examples
    --------
    >>> stem_documents(["Perbankan syariah di Bali tumbuh.", ""])
    [['bank', 'syariah', 'bali', 'tumbuh'], []]
    """
    return stem_corpus(texts, cache_dir=cache_dir, progress=False).tokens


# --------------------------------------------------------------------------- measuring
GOLD_DIR_NAME = "id_stemming_gold"
_SCORED_UPOS = ("NOUN", "VERB", "ADJ")


def load_gold_pairs(path: Path | str | None = None):
    """The UD word/lemma gold as a DataFrame of lowercase NOUN/VERB/ADJ forms with counts.

    Only for measuring: kliping's rules and overrides are never derived from it.

    Parameters
    ----------
    path : path, optional
        ``ud_indonesian_form_lemma.tsv`` (default: under ``config.CORPORA_DIR``).

    Returns
    -------
    DataFrame
        Columns ``form``, ``lemma`` (lowercased), ``upos``, ``count``.
    """
    import csv

    import pandas as pd

    path = Path(path) if path is not None else config.CORPORA_DIR / GOLD_DIR_NAME / "ud_indonesian_form_lemma.tsv"
    gold = pd.read_csv(path, sep="\t", quoting=csv.QUOTE_NONE, dtype=str, keep_default_na=False)
    gold["count"] = gold["count"].astype(int)
    keep = gold["upos"].isin(_SCORED_UPOS) & (gold["form"] == gold["form"].str.lower()) & (gold["lemma"] != "_")
    gold = gold.loc[keep, ["form", "lemma", "upos", "count"]].reset_index(drop=True)
    gold["lemma"] = gold["lemma"].str.lower()
    return gold


def compare_with_sastrawi(gold=None):
    """Count-weighted accuracy of raw PySastrawi and of kliping on the gold, side by side.

    Returns
    -------
    (dict, DataFrame)
        ``{"sastrawi": accuracy, "kliping": accuracy, "forms": n, "tokens": n}``
        and the per-form table with both outputs.
    """
    gold = load_gold_pairs() if gold is None else gold.copy()
    raw = raw_sastrawi_stemmer()
    gold["sastrawi"] = [raw.stem(form) for form in gold["form"]]
    gold["kliping"] = [stem_word(form) for form in gold["form"]]
    weights = gold["count"]
    scores = {name: float(((gold[name] == gold["lemma"]) * weights).sum() / weights.sum())
              for name in ("sastrawi", "kliping")}
    scores.update(forms=len(gold), tokens=int(weights.sum()))
    return scores, gold


def stem_text(text: str) -> str:
    """Stem every word of a short text with kliping, no stopword removal (for side-by-side views).

    Examples
    --------
    >>> stem_text("Pasukan memasuki Bekasi")
    'pasukan masuk bekasi'
    """
    return " ".join(stem_word(token.lower()) for token in tokenize(text) if token_kind(token) == "word")


def functional_differences(path: Path | str | None = None):
    """Sastrawi's own functional test pairs where raw PySastrawi or kliping differ from the expected stem.

    Returns
    -------
    DataFrame
        Columns ``word``, ``expected``, ``sastrawi``, ``kliping``; one row per
        pair that either stemmer gets wrong.
    """
    import pandas as pd

    path = Path(path) if path is not None else (
        config.CORPORA_DIR / GOLD_DIR_NAME / "sastrawi_functional_test_pairs.tsv")
    pairs = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    raw = raw_sastrawi_stemmer()
    table = pd.DataFrame({
        "word": pairs["word"],
        "expected": pairs["expected_stem"],
        "sastrawi": [raw.stem(word) for word in pairs["word"]],
        "kliping": [stem_text(word) for word in pairs["word"]],
    })
    wrong = (table["sastrawi"] != table["expected"]) | (table["kliping"] != table["expected"])
    return table[wrong].reset_index(drop=True)


# --------------------------------------------------------------------------- notebook helpers
_SENTENCE = re.compile(r"[^.!?\n]{20,300}[.!?]")


def corrected_sentences(texts: Iterable[str], n: int = 8, max_texts: int = 2000):
    """Real sentences where kliping and raw PySastrawi stem some word differently, side by side.

    Parameters
    ----------
    texts : iterable of str
        Article bodies.
    n : int
        Sentences to return, each showing a different corrected word.
    max_texts : int
        Look at the first texts only (enough to find examples, quick).

    Returns
    -------
    DataFrame
        ``word``, ``sastrawi`` and ``kliping`` (the word's two stems), ``sentence``,
        and the whole sentence stemmed by each (``sastrawi_sentence``, ``kliping_sentence``).
    """
    import pandas as pd

    raw = raw_sastrawi_stemmer()
    rows, seen = [], set()
    for index, text in enumerate(texts):
        if index >= max_texts or len(rows) >= n:
            break
        for sentence in _SENTENCE.findall(text if isinstance(text, str) else ""):
            for token in tokenize(sentence):
                word = token.lower()
                if word in seen or token_kind(token) != "word" or not token.islower():
                    continue
                ours, theirs = stem_word(word), raw.stem(word)
                if ours != theirs:
                    seen.add(word)
                    rows.append({"word": word, "sastrawi": theirs, "kliping": ours, "sentence": sentence.strip(),
                                 "sastrawi_sentence": raw.stem(sentence), "kliping_sentence": stem_text(sentence)})
                    break
            if len(rows) >= n:
                break
    return pd.DataFrame(rows, columns=["word", "sastrawi", "kliping", "sentence", "sastrawi_sentence",
                                       "kliping_sentence"])


def top_stems(result: StemResult, n: int = 20):
    """The ``n`` most frequent stems with their display word and count.

    Examples
    --------
    >>> top = top_stems(stem_corpus(["Pemerintah dan pemerintahan."], progress=False, use_cache=False), 1)
    >>> top.values.tolist()
    [['perintah', 'pemerintah', 2]]
    """
    import pandas as pd

    counts = Counter(chain.from_iterable(result.tokens))
    rows = [(stem, result.display_words.get(stem, stem), count) for stem, count in counts.most_common(n)]
    return pd.DataFrame(rows, columns=["stem", "display_word", "count"])


def read_stem_input():
    """The frame notebook 03 stems: ``CLEAN_FILE`` or, until cleaning exists, ``ARTICLES_FILE``.

    Returns
    -------
    (DataFrame, str)
        A frame with ``id`` and ``content``, and the name of the file it came
        from. Before the clean stage writes ``CLEAN_FILE``, the loader's
        ``text`` stands in for ``content`` (temporary; pages then still hold
        menus and footers).
    """
    import pandas as pd

    if config.CLEAN_FILE.exists():
        frame = pd.read_parquet(config.CLEAN_FILE)
        source = config.CLEAN_FILE.name
    elif config.ARTICLES_FILE.exists():
        frame = pd.read_parquet(config.ARTICLES_FILE)
        frame["content"] = frame["text"].where(frame["status"] == "ok", "")
        source = config.ARTICLES_FILE.name + " (text as content: the clean stage has not run)"
    else:
        raise FileNotFoundError(f"neither {config.CLEAN_FILE} nor {config.ARTICLES_FILE} exists: "
                                "run notebooks 01 and 02 first")
    frame["content"] = frame["content"].fillna("").astype(str)
    return frame, source


def save_tokens(ids: Iterable[str], result: StemResult, tokens_file: Path | str | None = None,
                display_words_file: Path | str | None = None) -> tuple[Path, Path]:
    """Write ``TOKENS_FILE`` (``id`` + ``tokens`` list column) and ``DISPLAY_WORDS_FILE`` (JSON).

    Returns
    -------
    (Path, Path)
        The two files written.
    """
    import pandas as pd

    ids = [str(i) for i in ids]
    if len(ids) != len(result.tokens):
        raise ValueError(f"{len(ids)} ids for {len(result.tokens)} token lists")
    tokens_file = Path(tokens_file) if tokens_file is not None else config.TOKENS_FILE
    display_words_file = Path(display_words_file) if display_words_file is not None else config.DISPLAY_WORDS_FILE
    tokens_file.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"id": ids, "tokens": result.tokens}).to_parquet(tokens_file, index=False)
    display_words_file.write_text(json.dumps(result.display_words, ensure_ascii=False, indent=0, sort_keys=True),
                                  encoding="utf-8")
    return tokens_file, display_words_file


def proper_noun_examples(result: StemResult, n: int = 10):
    """The most frequent words kept whole as proper nouns, those raw PySastrawi would have stemmed first.

    Returns
    -------
    DataFrame
        ``word``, ``count`` in the corpus and ``sastrawi`` (what PySastrawi makes of it).
    """
    import pandas as pd

    raw = raw_sastrawi_stemmer()
    counts = Counter(token for tokens in result.tokens for token in tokens if token in result.proper_nouns)
    rows = [(word, count, raw.stem(word)) for word, count in counts.most_common(max(50, n))]
    rows.sort(key=lambda row: row[2] == row[0])  # stable: the words Sastrawi would change come first
    return pd.DataFrame(rows[:n], columns=["word", "count", "sastrawi"])
