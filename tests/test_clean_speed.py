"""The batched forms of cleaning's per-word and per-line work give what the per-word and per-line code gave.

``tests/data/clean_speed_expected.json`` holds the outputs of the code before the batching (commit 4416c2e: a list
of every word of a text, a list of every letter of a sample) on the 3,235 real articles embedded in
``data/raw/clickid_sample.jsonl.gz``, as counts and sha256 digests; the batched functions must give them again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from pathlib import Path

import pytest

from kliping import config
from kliping.clean import corpus, detector, language, scans, site_stats

EXPECTED = json.loads((Path(__file__).parent / "data" / "clean_speed_expected.json").read_text(encoding="utf-8"))


def digest(values) -> str:
    return hashlib.sha256(json.dumps(values, ensure_ascii=False).encode()).hexdigest()


@pytest.fixture(scope="module")
def articles() -> list[tuple[str, str]]:
    with gzip.open(config.RAW_DIR / "clickid_sample.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [(row.get("title") or "", row.get("content") or "") for row in rows]


def test_marker_words_as_listed_from_every_word(articles):
    assert len(articles) == EXPECTED["articles"]
    found = [language._marker_words(f"{title}\n{content}") for title, content in articles]
    assert sum(map(len, found)) == EXPECTED["marker_words"]["count"]
    assert digest(found) == EXPECTED["marker_words"]["sha256"]


def test_has_letters_as_counted_from_every_letter(articles):
    samples = [language.sample(title, content)[:n] for title, content in articles for n in (12, 30, 601)]
    told = [language.has_letters(text) for text in samples]
    assert (sum(told), len(told)) == (EXPECTED["has_letters"]["true"], EXPECTED["has_letters"]["of"])
    assert digest(told) == EXPECTED["has_letters"]["sha256"]


def test_marker_words_need_whole_words():
    # A marker inside a longer word, or touching a letter of another script, is no marker; digits part words.
    assert language._marker_words("keuangan uangnya Ǆuang uang2 2persen persenÄ") == ["uang", "persen"]


def _whole_line_tail(line: str):
    """site_stats.line_tail as it was before the window (commit 66cf205): every start of the whole line searched."""
    starts = list(re.finditer(r"(?<=[.!?])\s+|,(?=[^\s\d,])", line.rstrip()))
    if not starts:
        return None
    tail = line[starts[-1].end() :].strip()
    if not tail or len(tail) > 100 or not re.search(r"[^\W\d_]{2,}", tail) or not line[: starts[-1].start()].strip():
        return None
    return tail


def test_line_tail_searches_only_the_end_and_finds_the_same(articles):
    # The real articles (each one long line, and its paragraphs), then random lines of sentence marks, commas,
    # digits and (Unicode) spaces around the window's edge.
    lines = [content for _, content in articles] + [p for _, content in articles for p in content.split("\n")]
    rng = random.Random(24)
    lines += ["".join(rng.choice("ab .,!?\t 1,x\u00a0\u3000") for _ in range(rng.randint(0, 260))) for _ in range(5000)]
    assert site_stats.TAIL_MAX_CHARS == 100
    found = [site_stats.line_tail(line) for line in lines]
    assert found == [_whole_line_tail(line) for line in lines]
    assert sum(tail is not None for tail in found) > 1000  # the comparison saw many tails


def test_page_regexes_without_captures_find_the_same_lines(articles):
    # Every page regex of the lexicon, as the scans run it (groups not capturing) and as written (capturing),
    # over the lower-cased and the as-is text of the embedded articles' paragraphs (short and long lines).
    from kliping.clean.lexicon import load_lexicon
    from kliping.clean.patterns import lower_literals, one_line

    lines = [p.strip() for _, content in articles[:800] for p in content.split("\n") if p.strip()]
    text = "\n" + "\n".join(lines)
    checked = 0
    for group, *regexes in load_lexicon().page_markers.values():
        anywhere = [scans.anywhere_regex(group, tuple(range(len(group.anywhere))), lower) for lower in (True, False)]
        for regex in [r for r in regexes + anywhere if r is not None and r.pattern]:
            assert "(?:" in regex.pattern or "(" not in regex.pattern.replace("(?", "")
            written = one_line(regex.pattern.replace("(?:", "("))  # capturing again (one_line is idempotent)
            written = re.compile(lower_literals(written) if regex.flags & re.IGNORECASE == 0 else written, regex.flags)
            scanned = text.lower() if regex.flags & re.IGNORECASE == 0 else text
            assert [m.start() for m in regex.finditer(scanned)] == [m.start() for m in written.finditer(scanned)]
            checked += 1
    assert checked >= 10


def _real_and_random_lines(articles) -> list[str]:
    """Lines of the embedded seed pages (menus, crumbs, datelines, bylines) and the articles' paragraphs and
    sentences, then random lines of capitals, digits, dashes, "_", tabs, punctuation and a few non-ASCII letters."""
    lines = [
        line.strip() for path in sorted(config.RAW_DIR.glob("*.txt")) for line in path.read_text("utf-8").splitlines()
    ]
    lines += [p.strip() for _, content in articles[:600] for p in content.split("\n")]
    lines += [s for _, content in articles[:300] for p in content.splitlines() for s in re.split(r"(?<=[.!?])\s+", p)]
    rng = random.Random(24)
    alphabet = "aB Z0 9-|_\t.,:;'\"()/\u2013\u00e9\u0130\u00d7xYyang di dan JAKARTA, KOMPAS.com - "
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 140))).strip() or "x" for _ in range(3000)]
    return [line for line in lines if line]  # as a page's lines are: stripped, not empty, no line break


def test_line_counts_of_a_batch_are_those_of_each_line(articles):
    # The ASCII lines are counted together (measures._ascii_counts), the others one by one; the words, function
    # words, capitals, digits, datelines and normalised lines must be what the line-by-line code gives, whatever
    # mix of lines a batch holds.
    from kliping.clean import measures
    from kliping.clean.lexicon import load_lexicon

    lexicon = load_lexicon()
    lines = _real_and_random_lines(articles)
    lower = [line.lower() for line in lines]
    *counts, datelines, normalised = measures._line_counts(lines, lower, lexicon)
    *expected, expected_datelines, expected_normalised = measures._line_counts_one_by_one(lines, lower, lexicon)
    assert [c.tolist() for c in counts] == [[float(v) for v in column] for column in expected]
    assert (datelines, normalised) == (expected_datelines, expected_normalised)
    together = sum(line.isascii() and "_" not in line for line in lines)
    assert 1000 < together < len(lines) - 1000 and sum(datelines) >= 10  # both ways ran, and datelines were found


def test_menu_lines_of_a_batch_are_those_of_each_line(articles):
    # navigation.menu_lines asks menu_line only of the short lines with a separator's character, from one search.
    import numpy as np

    from kliping.clean import navigation

    lines = _real_and_random_lines(articles)
    skip = np.array([len(line) % 7 == 0 for line in lines])
    found = navigation.menu_lines(lines, skip)
    assert found.tolist() == [not s and navigation.menu_line(line) for line, s in zip(lines, skip.tolist())]
    assert found.sum() >= 5 and sum(map(navigation.menu_line, lines)) > found.sum()  # menus found, some skipped


def _counted(text: str, guess: str) -> str:
    """indonesian_or_malay as it was (commit 759c0a5): every marker word of the text counted."""
    found = language._marker_words(text)
    indonesian = sum(word in language.INDONESIAN_WORDS for word in found)
    malay = len(found) - indonesian
    return guess if indonesian == malay else ("id" if indonesian > malay else "ms")


def test_indonesian_or_malay_without_counting_gives_the_count(articles):
    # Real articles (hardly a Malay word in them) and texts built of marker words, Malay ones inside Indonesian
    # words ("deteksi", "Kuba"), capitals, digits and other scripts touching them: the shortcut taken when no
    # Malay word is found must give what counting every marker word gives, for either guess.
    rng = random.Random(24)
    pieces = [*language.INDONESIAN_WORDS, *language.MALAY_WORDS, "deteksi", "proteksi", "Cuba", "Kerana", "uang2"]
    pieces += ["dan", "rumah", "Ǆ", "2", ",", "é", "banjir", "keuangan", "mahukah"]
    texts = [f"{title}\n{content}" for title, content in articles]
    texts += [" ".join(rng.choices(pieces, k=rng.randint(1, 12))).replace(" ,", ",") for _ in range(5_000)]
    texts += ["".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(2_000)]
    told = [
        (language.indonesian_or_malay(text, guess), _counted(text, guess)) for text in texts for guess in ("id", "ms")
    ]
    assert [new for new, _ in told] == [old for _, old in told]
    assert {"id", "ms"} <= {old for _, old in told[len(articles) * 2 :]}  # both answers, and ties, are tried
    assert sum(_counted(text, "ms") == "ms" for text in texts) > 1_000


def test_detector_blocks_give_py3langids_labels(articles):
    # More texts than one walk block, of every length (cut articles, whole titles, other scripts): each text
    # gets py3langid's own label whatever block and position it lands in.
    rng = random.Random(7)
    texts = [language.sample(title, content)[: rng.choice((25, 80, 300, 601))] for title, content in articles[:1100]]
    texts += ["HUJAN DERAS DI BEKASI", "Ça va très bien, merci", "東京の天気は晴れです", "Погода в Москве", "", "a"]
    rng.shuffle(texts)
    assert len(texts) > 2 * detector.WALK_ROWS
    one_by_one = [detector.identifier().classify(text)[0] for text in texts]
    assert detector.classify_many(texts) == one_by_one
    assert len(set(one_by_one)) >= 4


def test_languages_told_in_any_batch_are_the_same(articles, monkeypatch):
    titles, contents = [title for title, _ in articles[:300]], [content for _, content in articles[:300]]
    titles[::7] = ["Floods in Bekasi"] * 43
    contents[::7] = ["Heavy rain flooded hundreds of homes in Bekasi on Monday night, officials said."] * 43
    whole = language.detect_many(titles, contents)
    assert whole.count("en") == 43 and whole.count("id") > 200
    assert [language.detect(title, content) for title, content in zip(titles[:40], contents[:40])] == whole[:40]
    frame = corpus.pd.DataFrame({"id": range(300), "status": "ok", "title": titles, "text": contents})
    monkeypatch.setattr(corpus, "LANGUAGE_BATCH_ROWS", 7)  # batches cut across the measure batches of 64
    small = corpus.clean_articles(frame, progress=False)["language"].tolist()
    monkeypatch.setattr(corpus, "LANGUAGE_BATCH_ROWS", 1024)
    whole_corpus = corpus.clean_articles(frame, progress=False)["language"].tolist()
    assert small == whole_corpus and whole_corpus.count("en") == 43
