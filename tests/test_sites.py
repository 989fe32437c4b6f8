"""A site's name in a page's dateline: one parse (kliping.io.sites) for the reader's site column and the clean stage's
city, site and body start (kliping.clean.metadata.split_dateline)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import embedded_records, require_shared

from kliping import clean, io
from kliping.clean import metadata

# Real dateline forms (the sites of the shared corpora and of Indonesian news at large), each with the city and the
# site the clean stage splits off and the site the reader guesses from the line.
DATELINES = [
    ("WASHINGTON, KOMPAS.com - Amerika Serikat (AS) mencoba berupaya", "WASHINGTON", "KOMPAS.com", "kompas.com"),
    ("Liputan6.com, Jakarta - Presiden Joko Widodo meminta para menteri", "Jakarta", "Liputan6.com", "liputan6.com"),
    ("Mataram, NTB (ANTARA News) - Sebanyak 29 penerbangan dibatalkan hari ini", "Mataram", "ANTARA News", None),
    ("Jakarta - Galaxy S6 Edge adalah smartphone jagoan Samsung tahun ini", "Jakarta", None, None),
    # Top-level domains in any case: "Tempo.Co" (13 CLICK-ID articles open so) and "KOMPAS.TV" were cities before.
    ("Tempo.Co, Jakarta - Menteri Kelautan dan Perikanan mengatakan", "Jakarta", "Tempo.Co", "tempo.co"),
    ("JAKARTA, KOMPAS.TV - Presiden Joko Widodo meminta masyarakat tetap tenang", "JAKARTA", "KOMPAS.TV", "kompas.tv"),
    ("SURYA.co.id, SURABAYA - Polisi menangkap dua pelaku pencurian", "SURABAYA", "SURYA.co.id", "surya.co.id"),
    ("Solopos.com, SOLO \u2014 Pemerintah Kota Solo menutup jalan", "SOLO", "Solopos.com", "solopos.com"),
    ("BANDUNG, Detik.Net \u2013 Harga cabai rawit di pasar tradisional naik lagi", "BANDUNG", "Detik.Net", "detik.net"),
]


@pytest.mark.parametrize("line, city, site, guessed", DATELINES)
def test_one_dateline_parse(line, city, site, guessed):
    assert clean.split_dateline(line)[:2] == (city, site)
    assert metadata.dateline_of(line)[:2] == (city, site)
    assert io.dateline_site(line) == guessed
    assert io.guess_site("Beranda\n" + line) == guessed  # a sentence: its site is the one its dateline names
    # The clean stage finds the page's site in the body's dateline too.
    assert metadata.guess_site(["Beranda", line], [False, True]) == guessed


# Sentences that name a site other than in a dateline: the site the article mentions, not the page's. The first
# three are real CLICK-ID lines (tempo 00243, tempo 02253, tribunnews 01121); the reader took their site before.
MENTIONS = [
    "Menurut Tempo.co, saat ini tercatat ada 4.399 titik panas yang mengindikasikan kebakaran hutan",
    "Dilansir situs MotoGP.com, Andi Gilang turun di latihan bebas pertama dengan catatan waktu",
    "Live streaming Vidio.com, Badak Lampung vs Kalteng Putra di pekan ke-20 Liga 1",
    "Baca juga: detik.com - Gempa magnitudo 5,2 mengguncang Bali pada Selasa pagi",
    "Artikel ini telah tayang di Kompas.com - dengan judul Gempa Bali, Warga Panik",
    "Informasi lengkap ada di https://www.bmkg.go.id/gempa - kata Kepala BMKG Dwikorita Karnawati",
    "Kirim pertanyaan Anda ke redaksi@kompas.com, tim kami akan menjawab dalam sepekan",
    "Founder Bubu.com dan Chairwoman IDBYTE Shinta Dhanuwardoyo mengatakan hal itu",
]


@pytest.mark.parametrize("line", MENTIONS)
def test_a_site_a_sentence_mentions_is_not_the_pages(line):
    assert io.guess_site(line) is None
    assert clean.split_dateline(line)[:2] == (None, None)
    assert metadata.guess_site([line], [True]) is None


@pytest.mark.parametrize(
    "text, site",
    [
        ("Judul\nKompas.com - 24/10/2020, 11:53 WIB\nIsi", "kompas.com"),  # a short line: anywhere in it
        ("Sumber: Detik.com", "detik.com"),  # at the line's end
        ("Email: redaksi@kompas.com", "kompas.com"),  # a short line's e-mail address: the site's own
        ("   \u00a0WASHINGTON, iNews.id - Menteri Luar Negeri AS Mike Pompeo bertemu", "inews.id"),  # indented
        ("KONTAN.CO.ID - JAKARTA. Harga emas batangan Antam naik Rp 3.000 hari ini", "kontan.co.id"),
        ("Baca juga: Gempa Bali\nBANGKAPOS.COM, BANGKA - Harga lada putih naik lagi pekan ini", "bangkapos.com"),
    ],
)
def test_the_pages_site_from_its_opening_lines(text, site):
    assert io.guess_site(text) == site


def test_long_and_odd_lines():
    # A long line: the dateline still splits, and a line of Title Case words with a site at its very end is none.
    body = "kata " * 40_000
    assert clean.split_dateline("JAKARTA, KOMPAS.com - " + body) == ("JAKARTA", "KOMPAS.com", body.strip())
    title_case = "Atraksi Ondel-Ondel Dari Taiwan " * 5_000 + "Kompas.com - isi"
    assert clean.split_dateline(title_case) == (None, None, title_case)
    assert io.guess_site(title_case) is None
    # Dashes a dateline never ends with (a figure dash, a minus sign) and a comma alone: no dateline.
    for line in ("JAKARTA, KOMPAS.com \u2012 Presiden", "JAKARTA, KOMPAS.com \u2212 Presiden", "TEMPO.CO, Penyerahan"):
        assert clean.split_dateline(line) == (None, None, line)
    assert clean.split_dateline("Kompas.com - 24/10/2020, 11:53 WIB")[:2] == (None, None)  # the site/date line
    assert io.guess_site("Kompas.com - 24/10/2020, 11:53 WIB") == "kompas.com"


def test_embedded_articles_naming_other_sites():
    # Real lines of the embedded CLICK-ID shard that name a site in their opening sentence, not as a dateline.
    wanted = {"clickid-tempo-02253-52291f93672a", "clickid-tribunnews-01121-f5d2bf114f84"}
    records = [r for r in embedded_records(0, 4000) if r["id"] in wanted]
    assert len(records) == 2
    for record in records:
        assert re.search(r"(?i)motogp\.com|vidio\.com", record["content"][:200])
        assert io.guess_site(record["content"]) is None, record["id"]


def test_clickid_datelines_give_city_and_site():
    # Every CLICK-ID article opening "<domain>, <City> -" or "<CITY>, <domain> -" (245 of them: TEMPO.CO 210,
    # KOMPAS.com 22, Tempo.Co 12, TEMPo.CO 1) has that city and site split off, whatever the case of its domain,
    # and the reader guesses that site from it.
    path = require_shared("corpora/clickid_labelled_news/articles.jsonl")
    domain = r"([A-Za-z0-9-]+(?:\.[A-Za-z]+)+)"
    site_first = re.compile(r"^" + domain + r",\s*([A-Z][a-z]+) - ")
    city_first = re.compile(r"^([A-Z][A-Za-z]+),\s*" + domain + r" - ")
    seen = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            text = (json.loads(line).get("content") or "").strip()
            match = site_first.match(text)
            site, city = match.groups() if match else (None, None)
            match = city_first.match(text)
            city, site = match.groups() if match else (city, site)
            if site is None:
                continue
            seen += 1
            assert clean.split_dateline(text)[:2] == (city, site), text[:80]
            assert io.guess_site(text) == site.lower(), text[:80]
    assert seen == 245
