"""How well kliping stems, beside raw PySastrawi: the UD Indonesian lemma gold and Sastrawi's own test pairs.

Only for measuring: kliping's rules and overrides are never derived from the
gold. The stages never import this module.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from kliping import config
from kliping.stem import raw_sastrawi_stemmer, stem_text, stem_word

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
    scores = {
        name: float(((gold[name] == gold["lemma"]) * weights).sum() / weights.sum()) for name in ("sastrawi", "kliping")
    }
    scores.update(forms=len(gold), tokens=int(weights.sum()))
    return scores, gold


def functional_differences(path: Path | str | None = None):
    """Sastrawi's own functional test pairs where raw PySastrawi or kliping differ from the expected stem.

    Returns
    -------
    DataFrame
        Columns ``word``, ``expected``, ``sastrawi``, ``kliping``; one row per
        pair that either stemmer gets wrong.
    """
    path = (
        Path(path) if path is not None else (config.CORPORA_DIR / GOLD_DIR_NAME / "sastrawi_functional_test_pairs.tsv")
    )
    pairs = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    raw = raw_sastrawi_stemmer()
    table = pd.DataFrame(
        {
            "word": pairs["word"],
            "expected": pairs["expected_stem"],
            "sastrawi": [raw.stem(word) for word in pairs["word"]],
            "kliping": [stem_text(word) for word in pairs["word"]],
        }
    )
    wrong = (table["sastrawi"] != table["expected"]) | (table["kliping"] != table["expected"])
    return table[wrong].reset_index(drop=True)
