"""Indonesian affixes as data: the prefix disambiguation rules, the suffixes, and which pairs never combine.

The prefix rules are those of PySastrawi 1.2.1, i.e. Nazief and Adriani's
rules as extended by Asian's confix-stripping stemmer (CS, rules 12-16, 19,
27, 29, 32, 34-40) and Sastrawi's own ku-/kau- (41, 42), written out here as
kliping's own table rather than read from PySastrawi's classes. Each rule
group lists its alternatives in Sastrawi's order; an alternative is a pattern
whose groups, joined after the letters it restores, give the word without the
prefix. ``tests/test_stem_rules.py`` checks the table against PySastrawi's
public ``stem()`` on every root of its dictionary with the prefixes attached.

Examples
--------
>>> rule = next(rule for rule in PREFIX_RULES if rule.number == "13")
>>> [alternative.apply("memakan") for alternative in rule.alternatives]  # me-makan, or mem-pakan
['makan', 'pakan']
>>> [rule.number for rule in PREFIX_RULES_BY_LETTER["t"]]
['6', '7', '8', '9', '35', '37', '38', '39', '40']
"""

from __future__ import annotations

import re
from typing import NamedTuple

# --------------------------------------------------------------------------- suffixes and prefix shapes
PARTICLES = ("lah", "kah", "tah", "pun")
POSSESSIVES = ("nya", "ku", "mu")
DERIVATIONALS = ("isasi", "isme", "kan", "an", "is", "i")

# ke- + a cardinal makes an ordinal (kedua "second", kedelapan "eighth"), a numeral of its own, not a
# ke-...-an noun: Sastrawi reads kedelapan as ke-delap-an and kedua as dua. Ordinals are kept whole.
CARDINALS = (
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
    "seratus",
    "seribu",
)
ORDINALS = frozenset("ke" + cardinal for cardinal in CARDINALS)

# Prefix shapes a root can start with, e.g. perban (per-), petan (pe-); longest first.
PREFIX_SHAPES = (
    "peng",
    "peny",
    "meng",
    "meny",
    "ber",
    "per",
    "pem",
    "pen",
    "mem",
    "men",
    "ter",
    "pe",
    "me",
    "te",
    "di",
    "ke",
    "se",
    "be",
)
# Outermost prefix classes (longest first) and the derivational suffixes they never combine with.
# pe(N)-/per-/ke-/se- make nouns and adverbs (pe-an, per-an, ke-an), never verbs in -kan or -i; se- takes
# no -an either; ber- takes no -i; me-/di-/ter- take no -an (Asian 2007, the pairs Sastrawi lists).
OUTER_PREFIXES = ("per", "pe", "ke", "se", "ber", "be", "me", "di", "ter", "te")
INVALID_CONFIXES = {
    "per": ("kan", "i"),
    "pe": ("kan", "i"),
    "ke": ("kan", "i"),
    "se": ("kan", "i", "an"),
    "ber": ("i", "is"),
    "be": ("i", "is"),
    "me": ("an",),
    "di": ("an",),
    "ter": ("an",),
    "te": ("an",),
}
# The plain prefixes di-, ke-, se- come off without any rule (Sastrawi's RemovePlainPrefix).
PLAIN_PREFIXES = ("di", "ke", "se")


# --------------------------------------------------------------------------- prefix rules
class Alternative(NamedTuple):
    """One reading of a prefix: a pattern on the whole word and the letters the prefix had melted."""

    pattern: re.Pattern
    restore: str = ""  # letters put back before the pattern's groups: men-tulis restores the t of "menulis"

    def apply(self, word: str) -> str | None:
        """``word`` without the prefix, or ``None`` when the pattern does not match.

        Examples
        --------
        >>> Alternative(re.compile(r"^meny([aiueo].*)$"), "s").apply("menyapu")
        'sapu'
        """
        match = self.pattern.match(word)
        return None if match is None else self.restore + "".join(match.groups())


class PrefixRule(NamedTuple):
    """A group of prefix readings tried in order (``ber-V`` before ``be-rV``)."""

    number: str  # Sastrawi's rule number, to compare with its documentation
    kind: str  # "prefix", "infix" (-el-, -er-, -em-, -in-) or "pronoun" (ku-, kau-)
    letters: str  # first letters of the words the rule can change
    alternatives: tuple[Alternative, ...]


_C = "[bcdfghjklmnpqrstvwxyz]"  # a consonant
_V = "[aiueo]"  # a vowel
_CONSONANTS = "bcdfghjklmnpqrstvwxyz"


def _rule(number: str, letters: str, *alternatives: tuple[str, str], kind: str = "prefix") -> PrefixRule:
    compiled = tuple(Alternative(re.compile(pattern), restore) for pattern, restore in alternatives)
    return PrefixRule(number, kind, letters, compiled)


#: Sastrawi's prefix rule groups in Sastrawi's order; (pattern, restored letters) per alternative.
#: Where the rule says "C1 != r" or "P != 'er'", a lookahead says it: (?!r), (?!er).
#: Sastrawi's infix rules 37a-40a (CerV -> CerV, ...) return the word unchanged, so they are left out.
PREFIX_RULES: tuple[PrefixRule, ...] = (
    _rule("1", "b", (rf"^ber({_V}.*)$", ""), (rf"^ber({_V}.*)$", "r")),  # ber-V | be-rV
    _rule("2", "b", (rf"^ber({_C}[a-z](?!er).*)$", "")),  # ber-CAP, P != er
    _rule("3", "b", (rf"^ber(?!r)({_C}[a-z]er{_V}.*)$", "")),  # ber-CAerV, C != r
    _rule("4", "b", (r"^bel(ajar)$", "")),  # belajar -> ajar
    _rule("5", "b", (rf"^be([bcdfghjklmnpqstvwxyz]er{_C}.*)$", "")),  # be-C1erC2, C1 != r
    _rule("6", "t", (rf"^ter({_V}.*)$", ""), (rf"^ter({_V}.*)$", "r")),  # ter-V | te-rV
    _rule("7", "t", (rf"^ter(?!r)({_C}er{_V}.*)$", "")),  # ter-CerV, C != r
    _rule("8", "t", (rf"^ter(?!r)({_C}(?!er).*)$", "")),  # ter-CP, C != r, P != er
    _rule("9", "t", (rf"^te(?!r)({_C}er{_C}.*)$", "")),  # te-C1erC2, C1 != r
    _rule("10", "m", (rf"^me([lrwy]{_V}.*)$", "")),  # me-{l,r,w,y}V
    _rule("11", "m", (r"^mem([bfv].*)$", "")),  # mem-{b,f,v}
    _rule("12", "m", (r"^mem(pe.*)$", "")),  # mempe -> mem-pe (mempengaruhi)
    _rule("13", "m", (rf"^mem({_V}.*)$", "m"), (rf"^mem({_V}.*)$", "p")),  # me-mV | mem-pV
    _rule("14", "m", (r"^men([cdjstz].*)$", "")),  # men-{c,d,j,s,t,z}
    _rule("15", "m", (rf"^men({_V}.*)$", "n"), (rf"^men({_V}.*)$", "t")),  # me-nV | men-tV
    _rule("16", "m", (r"^meng([ghqk].*)$", "")),  # meng-{g,h,q,k}
    _rule(
        "17",
        "m",
        (rf"^meng({_V}.*)$", ""),
        (rf"^meng({_V}.*)$", "k"),  # meng-V | meng-kV
        (r"^menge(.*)$", ""),
        (rf"^meng({_V}.*)$", "ng"),
    ),  # menge-, me-ngV
    _rule("18", "m", (rf"^meny({_V}.*)$", "ny"), (rf"^meny({_V}.*)$", "s")),  # me-nyV | meny-sV
    _rule("19", "m", (r"^memp([abcdfghijklmopqrstuvwxyz].*)$", "p")),  # mem-pA, A != e
    _rule("20", "p", (rf"^pe([wy]{_V}.*)$", "")),  # pe-{w,y}V
    _rule("21", "p", (rf"^per({_V}.*)$", ""), (rf"^pe(r{_V}.*)$", "")),  # per-V | pe-rV
    _rule("23", "p", (rf"^per({_C}[a-z](?!er).*)$", "")),  # per-CAP, P != er
    _rule("24", "p", (rf"^per(?!r)({_C}[a-z]er{_V}.*)$", "")),  # per-CAerV, C != r
    _rule("25", "p", (r"^pem([bfv].*)$", "")),  # pem-{b,f,v}
    _rule("26", "p", (rf"^pem({_V}.*)$", "m"), (rf"^pem({_V}.*)$", "p")),  # pe-mV | pem-pV
    _rule("27", "p", (r"^pen([cdjstz].*)$", "")),  # pen-{c,d,j,s,t,z}
    _rule("28", "p", (rf"^pen({_V}.*)$", "n"), (rf"^pen({_V}.*)$", "t")),  # pe-nV | pen-tV
    _rule("29", "p", (rf"^peng({_C}.*)$", "")),  # peng-C
    _rule("30", "p", (rf"^peng({_V}.*)$", ""), (rf"^peng({_V}.*)$", "k"), (r"^penge(.*)$", "")),
    _rule("31", "p", (rf"^peny({_V}.*)$", "ny"), (rf"^peny({_V}.*)$", "s")),  # pe-nyV | peny-sV
    _rule("32", "p", (r"^pel(ajar)$", ""), (rf"^pe(?!lajar$)(l{_V}.*)$", "")),  # pelajar -> ajar, else pe-lV
    _rule("34", "p", (rf"^pe({_C}(?!er).*)$", "")),  # pe-CP, P != er
    _rule("35", "t", (rf"^ter([bcdfghjkpqstvxz]er{_C}.*)$", "")),  # ter-C1erC2
    _rule("36", "p", (rf"^pe([bcdfghjkpqstvxz]er{_C}.*)$", "")),  # pe-C1erC2
    _rule("37", _CONSONANTS, (rf"^({_C})er({_V}.*)$", ""), kind="infix"),  # C-er-V -> CV
    _rule("38", _CONSONANTS, (rf"^({_C})el({_V}.*)$", ""), kind="infix"),  # C-el-V -> CV
    _rule("39", _CONSONANTS, (rf"^({_C})em({_V}.*)$", ""), kind="infix"),  # C-em-V -> CV
    _rule("40", _CONSONANTS, (rf"^({_C})in({_V}.*)$", ""), kind="infix"),  # C-in-V -> CV
    _rule("41", "k", (r"^ku(.*)$", ""), kind="pronoun"),  # ku-A
    _rule("42", "k", (r"^kau(.*)$", ""), kind="pronoun"),  # kau-A
)

# Sastrawi tries its ~40 rule groups on every word; only a few can match a given first letter, so
# grouping them by letter makes the search several times faster.
PREFIX_RULES_BY_LETTER: dict[str, tuple[PrefixRule, ...]] = {
    letter: tuple(rule for rule in PREFIX_RULES if letter in rule.letters) for letter in "abcdefghijklmnopqrstuvwxyz"
}
