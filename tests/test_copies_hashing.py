"""The vectorised shingle hashing and MinHash of :mod:`kliping.clean.copies` on real text: the same signatures as a
plain computation (one Python string per word, one integer per shingle, one minimum per permutation), and a real
CLICK-ID article republished with its promo lines changed found as a copy while other articles are not.

The plain computation pins the values: saved models keep their articles' signatures (``model/signatures.npz``) and
notebook 05 loads notebook 02's, so a change of the hashing that fails here must also make those refuse or recompute
old signatures (``kliping.topics.modelfiles``), or copies of old articles would silently go unfound."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd
import pytest
from conftest import embedded_records

from kliping.clean import copies

MASK = 2**64 - 1


def plain_signature(text: str) -> list[int]:
    """The MinHash signature of ``text`` computed plainly: ``re.findall`` of the lowercased text, crc32 of each
    word, the position-weighted sum of the five words' hashes of each shingle (modulo 2**64, its top 32 bits),
    and for every permutation the least ``(a * x + b) mod 2**64 >> 32``."""
    words = re.findall(r"\w+", text.lower())
    hashed = [zlib.crc32(word.encode()) for word in words]
    mix = [int(m) for m in copies._MIX]
    values = [
        (sum(hashed[start + k] * mix[k] for k in range(copies.SHINGLE)) & MASK) >> 32
        for start in range(len(words) - copies.SHINGLE + 1)
    ]
    if len(values) < copies.MIN_SHINGLES:
        return [int(copies.EMPTY)] * copies.N_PERM
    return [min(((a * x + b) & MASK) >> 32 for x in values) for a, b in zip(map(int, copies._A), map(int, copies._B))]


def shingle_set(text: str) -> set:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + copies.SHINGLE]) for i in range(len(words) - copies.SHINGLE + 1)}


def exact_jaccard(left: str, right: str) -> float:
    a, b = shingle_set(left), shingle_set(right)
    return len(a & b) / len(a | b)


@pytest.fixture(scope="module")
def articles() -> list[str]:
    return [r["content"] for r in embedded_records(0, 400) if isinstance(r.get("content"), str)]


def odd_texts() -> list:
    """Texts whose words the numpy pass must split exactly as the regex does: astral letters and emoji, a lowercase
    form longer than the text (Turkish dotted I), a Greek final sigma, underscores and digits, a word longer than
    the 1,024 powers of one table row, no text, and too few words."""
    long_word = "".join(chr(0x61 + (i * 7) % 26) for i in range(3000))
    return [
        "𝐁𝐚𝐧𝐣𝐢𝐫 melanda 🌧️ İstanbul dan Bekasi, ΟΔΥΣΣΕΥΣ berlayar; warga_kota ke-17 mengungsi 2020 sejak pagi tadi "
        "hingga malam ini karena hujan deras yang turun terus menerus tanpa henti sejak kemarin sore",
        f"kata {long_word} panjang sekali dan {long_word[:-1]}b juga panjang serta {long_word} lagi di akhir teks ini",
        None,
        "",
        "Gol!",
        "satu dua tiga empat lima enam tujuh",
    ]


def test_signatures_agree_with_a_plain_computation_on_real_text(articles, monkeypatch):
    texts = articles[:40] + odd_texts()
    expected = np.array([plain_signature(t if isinstance(t, str) else "") for t in texts], dtype=np.uint32)
    assert (expected != copies.EMPTY).all(axis=1).sum() >= 40  # real signatures, not only empty ones
    assert np.array_equal(copies.signatures(texts), expected)
    # Many small blocks (the words' hashes kept from block to block) give the same values.
    monkeypatch.setattr(copies, "_BLOCK_CHARS", 3_000)
    assert np.array_equal(copies.signatures(texts), expected)


def test_every_word_of_the_embedded_articles_gets_its_crc32(articles):
    lowered = [t.lower() for t in articles]
    joined, points, starts, ends = copies._word_spans(lowered)
    words = [w for t in lowered for w in re.findall(r"\w+", t)]
    assert [joined[a:b] for a, b in zip(starts.tolist(), ends.tolist())] == words
    hashed = copies._word_hashes(joined, points, starts, ends, copies._Words())
    assert len(set(words)) > 10_000
    assert hashed.tolist() == [zlib.crc32(w.encode()) for w in words]


def republished(text: str) -> str:
    """``text`` as another site republishes it: an agency tag, its last sentence swapped for a promo line, a
    "Baca juga" link in the middle."""
    sentences = re.split(r"(?<=\.) ", text)
    middle = len(sentences) // 2
    sentences = sentences[:middle] + ["Baca juga: Harga Cabai Naik Jelang Akhir Tahun."] + sentences[middle:-1]
    return "JAKARTA, KOMPAS.com - " + " ".join(sentences) + " Simak berita pilihan lainnya di Google News kami."


def test_a_republished_article_is_a_near_copy_and_unrelated_articles_are_not(articles):
    long, seen = [], []
    for text in articles:  # CLICK-ID holds copies of its own: the second of such a pair is left out
        shingled = shingle_set(text)
        if (
            len(shingled) >= 250
            and text.count(". ") >= 8
            and all(len(shingled & s) < 0.1 * len(shingled) for s in seen)
        ):
            long.append(text)
            seen.append(shingled)
    assert len(long) >= 30
    originals, others = long[:10], long[10:]
    copies_ = [republished(t) for t in originals]
    sig = copies.signatures(originals + copies_ + others)
    n = len(originals)
    estimated = copies.similarity(sig[:n], sig[n : 2 * n])
    exact = np.array([exact_jaccard(a, b) for a, b in zip(originals, copies_)])
    assert (estimated >= copies.THRESHOLD).all()
    assert np.abs(estimated - exact).max() < 0.2  # 64 permutations: standard error at most 0.0625
    left, right = np.triu_indices(len(long), 1)
    unrelated = copies.similarity(sig[np.r_[:n, 2 * n : len(sig)][left]], sig[np.r_[:n, 2 * n : len(sig)][right]])
    assert unrelated.max() < copies.THRESHOLD / 2
    table = pd.DataFrame(
        {
            "id": [f"asli-{i}" for i in range(n)]
            + [f"salinan-{i}" for i in range(n)]
            + [f"lain-{i}" for i in range(len(others))],
            "status": "ok",
            "published": pd.to_datetime(["2020-10-13"] * n + ["2020-10-14"] * n + ["2020-10-13"] * len(others)),
            "content": originals + copies_ + others,
        }
    )
    marked = copies.mark_copies(table)
    assert marked["duplicate_of"].tolist() == [None] * n + [f"asli-{i}" for i in range(n)] + [None] * len(others)
