"""kliping's stemmer: Sastrawi's dictionary and affix rules, with every reading weighed instead of the first one.

See :class:`KlipingStemmer` for how a reading is chosen, and
:mod:`kliping.stem.rules` for the affixes.

Examples
--------
>>> stem_word("perbankan"), stem_word("menikah"), stem_word("pemerintahan")
('bank', 'nikah', 'perintah')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from kliping.stem.resources import load_overrides, load_root_frequency
from kliping.stem.rules import (
    DERIVATIONALS,
    INVALID_CONFIXES,
    ORDINALS,
    OUTER_PREFIXES,
    PARTICLES,
    PLAIN_PREFIXES,
    POSSESSIVES,
    PREFIX_RULES_BY_LETTER,
    PREFIX_SHAPES,
)


class Reading(NamedTuple):
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

    # -- public
    def stem(self, word: str) -> str:
        """Stem one lowercase word (plural ``anak-anak`` -> ``anak``)."""
        if word in self.overrides:
            return self.overrides[word]
        if "-" in word and self._is_plural(word):
            return self._stem_plural(word)
        return self._stem_singular(word)

    def readings(self, word: str) -> list[Reading]:
        """All readings of ``word`` whose root is in the dictionary (no overrides applied).

        Examples
        --------
        >>> sorted(r.root for r in KlipingStemmer().readings("perbankan"))
        ['ban', 'bank', 'perban']
        """
        outer = next((p for p in OUTER_PREFIXES if word.startswith(p)), "")
        found: dict[tuple, Reading] = {}
        for stripped, suffix, clitics, question in self._suffix_forms(word):
            removed_something = stripped != word
            short_i = suffix == "i" and clitics == 0 and len(stripped) <= 3
            if removed_something and not short_i and stripped in self.dictionary:
                found[(stripped, 0, suffix)] = Reading(stripped, 0, suffix, "", clitics, question, False)
            for root, layers, infix, secondary in self._prefix_roots(stripped):
                if not infix:
                    found.setdefault(
                        (root, layers, suffix),
                        Reading(root, layers, suffix, outer, clitics, question, infix, secondary),
                    )
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
    def _looks_prefixed(reading: Reading, readings: list[Reading]) -> bool:
        """True for a suffix-only root like ``perban`` when a confix reading with another suffix explains it.

        The root must start with a prefix shape whose remainder (``ban``) sits
        inside the confix reading's root (``bank``, read per-bank-an); ``beri``
        (remainder ``i``) is too short to count, and ``kemas-an`` is kept
        because ke-mas-an has the same suffix.
        """
        if reading.prefixes or not reading.suffix:
            return False
        for shape in PREFIX_SHAPES:
            rest = reading.root[len(shape) :]
            if reading.root.startswith(shape) and len(rest) >= 3:
                return any(
                    other.prefixes and other.suffix and other.suffix != reading.suffix and rest in other.root
                    for other in readings
                )
        return False

    def _implausibility(self, reading: Reading, readings: list[Reading], commonest: str | None = None) -> tuple:
        """How many reasons speak against a reading, most serious first (smaller is better)."""
        return (
            reading.infix,
            reading.secondary and reading.root != commonest,
            reading.suffix in INVALID_CONFIXES.get(reading.outer, ()),
            reading.question,
            self._looks_prefixed(reading, readings),
            self._bare_kan_verb(reading, readings),
            self._hides_noun_suffix(reading, readings),
        )

    @staticmethod
    def _hides_noun_suffix(reading: Reading, readings: list[Reading]) -> bool:
        """True when a pe-/per-/ke- word ending in -an is read with the -an inside the root.

        Such words are pe-an/per-an/ke-an nouns, so peng-kawasan and ke-jaran
        lose to peng-awas-an and kejar-an.
        """
        return (
            reading.outer in ("pe", "per", "ke")
            and not reading.suffix
            and reading.root.endswith("an")
            and any(other.suffix == "an" for other in readings)
        )

    @staticmethod
    def _bare_kan_verb(reading: Reading, readings: list[Reading]) -> bool:
        """True for X-kan without prefix when Xk-an is also a reading (``gerakan``: gerak-an, not gera-kan).

        A bare -kan verb is an imperative, rare in news prose; nouns in -an are
        common. Frequent imperatives (berikan, katakan) are in the override table.
        """
        return (
            reading.prefixes == 0
            and reading.suffix == "kan"
            and any(o.prefixes == 0 and o.suffix == "an" and o.root == reading.root + "k" for o in readings)
        )

    def _choose(self, word: str, readings: list[Reading]) -> str:
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

    def _commonest_root(self, readings: list[Reading]) -> str | None:
        """The root written far more often as a word of its own than every other candidate, if there is one.

        ``melambang`` and ``perhati`` are dictionary entries that news almost never
        writes alone; ``lambang`` and ``hati`` are everyday words.
        """
        counts = sorted(((self.root_frequency.get(root, 0), root) for root in {r.root for r in readings}), reverse=True)
        if len(counts) < 2:
            return None
        (top, root), (second, _) = counts[0], counts[1]
        return root if top >= self.MIN_COUNT and top >= self.DOMINANCE * max(second, 1) else None

    def _affixes(self, reading: Reading) -> int:
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
            root.startswith(shape)
            and len(root) - len(shape) >= (5 if len(shape) == 2 else 4)
            and root[len(shape) :] in self.dictionary
            for shape in PREFIX_SHAPES
        )
        return reading.affixes + (derived_by_suffix or derived_by_prefix)

    @staticmethod
    def _suffix_forms(word: str) -> list[tuple[str, str, int, bool]]:
        """``word`` with none, some or all of particle, possessive and derivational suffix removed.

        Returns ``(form, derivational suffix removed or "", clitics removed, question particle removed)``.
        """
        forms = [(word, 0, False)]
        for particle in PARTICLES:
            if word.endswith(particle) and len(word) > len(particle) + 2:
                forms.append((word[: -len(particle)].rstrip("-"), 1, particle in ("kah", "tah")))
        for base, clitics, question in list(forms):
            for possessive in POSSESSIVES:
                if base.endswith(possessive) and len(base) > len(possessive) + 2:
                    forms.append((base[: -len(possessive)].rstrip("-"), clitics + 1, question))
        result = [(form, "", clitics, question) for form, clitics, question in forms]
        for base, clitics, question in forms:
            for suffix in DERIVATIONALS:
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
        if word[:2] in PLAIN_PREFIXES:
            steps[word[2:]] = (infix, False)
        for rule in PREFIX_RULES_BY_LETTER.get(word[0], ()):
            if rule.kind == "pronoun" and depth > 0:
                continue
            hit = False
            for alternative in rule.alternatives:
                result = alternative.apply(word)
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
