"""The read stage's fast paths give what the slow ones gave (issue 24, branch read24).

:func:`kliping.io.text.resolve_breaks` asks ``str.isascii`` and ``in`` before its regexes, :func:`load_json` keeps one
decoder and :func:`normalise_text` replaces CR only when there is one: each case below is one they must not miss.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest

from kliping import io
from kliping.io.text import JSONLineError, load_json, normalise_text, resolve_breaks

BREAKS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
WORDS = ["Banjir", "melanda", "Bekasi", "sejak", "pagi"]
SENTENCES = ["Banjir melanda Bekasi sejak pagi.", "Warga mengungsi ke masjid terdekat.", "Hujan turun lagi sore ini."]


@pytest.mark.parametrize("accent", ["", "é", "—"], ids=["ascii", "latin1", "wide"])
@pytest.mark.parametrize("brk", BREAKS, ids=[f"U+{ord(b):04X}" for b in BREAKS])
def test_every_break_is_resolved_in_ascii_and_other_texts(brk, accent):
    between_words = brk.join(WORDS) + accent
    between_lines = brk.join(SENTENCES) + accent
    assert resolve_breaks(between_words) == " ".join(WORDS) + accent
    assert resolve_breaks(between_lines) == "\n".join(SENTENCES) + accent


@pytest.mark.parametrize("zero", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"])
def test_zero_width_characters_go_with_or_without_a_break(zero):
    assert resolve_breaks(f"Ban{zero}jir di Be{zero}kasi") == "Banjir di Bekasi"
    assert resolve_breaks(f"Ban{zero}jir\u2028di\u2028Bekasi") == "Banjir di Bekasi"


def test_a_text_without_breaks_comes_back_as_it_is():
    for text in ("Banjir melanda Bekasi.\nWarga mengungsi.", "Café di Jakarta — ramai", "", "\n"):
        assert resolve_breaks(text) is text


@pytest.mark.parametrize("text, expected", [("a\r\nb\rc", "a\nb\nc"), ("a\nb", "a\nb"), ("Cafe\u0301\r", "Café\n")])
def test_normalise_text_with_and_without_cr(text, expected):
    assert normalise_text(text) == expected


def test_load_json_says_what_json_loads_says():
    for line in ['{"a": 1', "\ufeff{}", '{"a": tru}', "[1, 2,]"]:
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(line)
        with pytest.raises(JSONLineError) as got:
            load_json(line)
        assert str(got.value) == expected.value.msg
    assert load_json('{"judul": "Gempa \\uD83D", "n": 7, "x": 1.5}') == ({"judul": "Gempa \ufffd", "n": 7, "x": 1.5}, 1)
    assert load_json('{"judul": "Gempa \\ud83d\\ude00"}') == ({"judul": "Gempa \U0001f600"}, 0)


def test_a_bom_inside_a_jsonl_file_is_one_malformed_line(tmp_path):
    path = tmp_path / "berita.jsonl"
    lines = ['\ufeff{"id": "a", "content": "Gempa di Palu."}', '\ufeff{"id": "b", "content": "Banjir di Bekasi."}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        frame = io.read_corpus(path)
    assert frame["status"].tolist() == ["ok", "malformed_json"]  # the file's BOM is read as one, a line's is not
    assert any("Unexpected UTF-8 BOM" in str(warning.message) for warning in said)


def test_run_help_imports_no_pandas():
    code = (
        "import sys\nfrom kliping.cli import main\ntry:\n    main(['run', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--label-field" in done.stdout and done.stdout.split()[-1] == "False"
