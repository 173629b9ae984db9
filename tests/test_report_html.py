"""The HTML review: structure, stills from real ffmpeg, hostile text made inert, written
atomically and privately, and read by a real browser (headless Chromium) when there is one."""

from __future__ import annotations

import base64
import datetime
import html
import re
import shutil
import stat
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from review_tui.codebook import load_codebook
from review_tui.report import build_report
from review_tui.report.html import render_html, write_html
from review_tui.report.progress import ExportCancelled
from review_tui.report.writer import ReportError
from review_tui.review_details import update_details
from review_tui.session import load_session
from review_tui.store import ReviewStore
from tests.media_factory import make_audio, make_video

DAY = datetime.date(2025, 3, 1)
# Everything a transcript or a note could hold to break out of the page or the terminal.
HOSTILE = (
    '<script>alert(1)</script> <a href="javascript:alert(2)">go</a> javascript:alert(3) '
    "</style><style>body{display:none}</style> <img src=x onerror=alert(4)> "
    "nul\x00byte \x1b[31mred\x1b[0m \x1b]0;retitled\x07 \u202eevil\u202c &amp; done"
)
# The same text once clean() has removed the control characters: what a reader must see.
HOSTILE_SHOWN = (
    '<script>alert(1)</script> <a href="javascript:alert(2)">go</a> javascript:alert(3) '
    "</style><style>body{display:none}</style> <img src=x onerror=alert(4)> "
    "nulbyte red evil &amp; done"
)
# SRT readers drop formatting tags and decode entities, so markup reaches a cue as entities.
HOSTILE_CUE = (
    "&lt;script&gt;alert(1)&lt;/script&gt; &lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt; "
    "&lt;a href='javascript:alert(2)'&gt;go&lt;/a&gt; \x1b[31mred\x1b[0m \u202eevil\u202c done"
)
HOSTILE_CUE_SHOWN = (
    '<script>alert(1)</script> </style><style>body{display:none}</style> '
    "<a href='javascript:alert(2)'>go</a> red evil done"
)
TRANSCRIPT = f"""\
1
00:00:01,000 --> 00:00:03,000
Th: How does it feel, right now?

2
00:00:03,500 --> 00:00:05,500
Pt: {HOSTILE_CUE}

3
00:00:06,000 --> 00:00:08,000
Th: That's fair. Could we look at what just happened between us?
"""
QUOTE = "That's fair. Could we look at what just happened between us?"
# One unbroken 400-character token: a table that does not wrap it runs off the printed page.
LONG_WORD = "https-example-org-" + "averyverylongpathsegment" * 16
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    return make_video(tmp_path_factory.mktemp("media") / "pattern.mp4", seconds=10.0)


@pytest.fixture
def reviewed(tmp_path, video):
    media = tmp_path / "client-07.mp4"
    shutil.copy(video, media)
    media.with_suffix(".srt").write_text(TRANSCRIPT, encoding="utf-8")
    session = load_session(media)
    store = ReviewStore.open(
        tmp_path / "client-07.review.sqlite",
        media_fingerprint=None,
        transcript_fingerprint=None,
        codebook=load_codebook(),
    )
    supervisor = store.reviewer("Dr Okafor", "supervisor")
    therapist = store.reviewer("Sam Lee", "therapist")
    colleague = store.reviewer("Dr <b>Moss</b>\x1b[31m\u202e", "rater")

    def add(code_id, start_ms, end_ms=None, rating=None, note="", author=supervisor):
        return store.add_tag(
            start_ms=start_ms, end_ms=end_ms, code_id=code_id, rating=rating, note=note, author=author
        )

    rupture = add("confrontation.criticises_therapist", 4_000, rating=4, note=HOSTILE)
    response = add("intervention.moves_against", 5_000, 5_800, note="Defends the method " + LONG_WORD)
    repair = add("repair.acknowledges_own_part", 6_500, rating=4, note="Owns the debate")
    add("supervision.strength", 6_500, note="Steps out of the debate")
    add("supervision.alternative_line", 5_000, note="Try naming what just happened")
    add("supervision.practice_clip", 6_000, note="Practise the turn to the relationship")
    add("supervision.discussion_question", 4_000, note=HOSTILE, author=therapist)
    add("alliance.links_people", 7_000, note="A second opinion", author=colleague)
    store.link(rupture.id, response.id, "response")
    store.link(rupture.id, repair.id, "repair")
    store.set_state("focus", "Meeting sarcasm " + HOSTILE)
    update_details(store, client="C-07", session_date="2025-02-27", session_number=3,
                   focus="The sarcasm at 00:04 <b>and after</b>")
    yield store, session, media
    store.close()


@pytest.fixture
def report(reviewed):
    store, session, _ = reviewed
    return build_report(store, session, date=DAY)


class _Page(HTMLParser):
    """Every element, attribute and text run of a page, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.style: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.style if self._in_style else self.text).append(data)


def parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    return parsed


def shown_text(page: str) -> str:
    return " ".join(" ".join(parse(page).text).split())


def test_sections_follow_the_domain_order(report):
    page = render_html(report)
    ids = re.findall(r'<section (?:class="major" )?id="([a-z]+)"', page)
    assert ids == ["header", "focus", "timeline", "episodes", "moments", "strengths", "agreement", "appendix"]
    text = shown_text(page)
    assert "Client C-07 Session date 2025-02-27 Session number 3" in text
    assert "Moments to discuss: The sarcasm at 00:04 <b>and after</b>" in text
    assert "Therapist Sam Lee" in text and "Supervisor Dr Okafor" in text
    assert "Codebook Alliance ruptures" in text
    assert "Time to repair 2.5 s" in text  # rupture at 4.0 s, first repair at 6.5 s
    assert "Degree of resolution 4/5" in text


def test_timeline_draws_a_lane_per_group_a_mark_per_tag_and_a_band_per_episode(report):
    page = render_html(report)
    svg = page[page.index("<svg") : page.index("</svg>")]
    lanes = re.findall(r'class="lane-label">([^<]*)<', svg)
    assert lanes == [html.escape(row.label, quote=True) for row in report.timeline]
    marks = {}
    for lane in svg.split('<g class="lane">')[1:]:
        label = re.search(r'class="lane-label">([^<]*)<', lane).group(1)
        count = int(re.search(r'class="lane-count">(\d+)<', lane).group(1))
        marks[label] = lane.count('fill-opacity="0.85"')
        assert marks[label] == count, label
    assert marks["Confrontation rupture"] == 1 and marks["Supervision note"] == 4
    assert sum(marks.values()) == len(report.moments) == 8
    assert svg.count('class="band"') == 1 and ">E1<" in svg
    # The band spans the rupture (4.0 s) to its repair (6.5 s) on a 10 s axis from x=190 to 960.
    band = re.search(r'<g class="band">.*?<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg, re.S)
    assert float(band.group(1)) == pytest.approx(190 + 0.4 * 770, abs=1)
    assert float(band.group(2)) == pytest.approx(0.25 * 770, abs=1)


def test_key_moments_quote_exactly_with_speakers_codes_ratings_notes_authors(report):
    page = render_html(report)
    text = shown_text(page)
    quoted = '<span class="speaker">Therapist</span> <span class="time">(00:06.000)</span>: <q>{}</q>'
    assert quoted.format(escape(QUOTE)) in page
    assert quoted.format(escape(HOSTILE_CUE_SHOWN)).replace("Therapist", "Patient").replace("06.000", "03.500") in page
    assert "Code Criticises therapist confrontation.criticises_therapist Rating significance 4/5" in text
    assert "Author Dr Okafor (supervisor)" in text and "Author Sam Lee (therapist)" in text
    assert "Note Owns the debate" in text


def test_strengths_growth_and_practice_plan_come_from_the_supervision_tags(report):
    page = render_html(report)
    part = page[page.index('id="strengths"') : page.index('id="appendix"')]
    plan = part[part.index("Deliberate-practice plan") :]
    growth = part[part.index("Growth areas") : part.index("Deliberate-practice plan")]
    assert "Practise the turn to the relationship" in plan
    assert "Try naming what just happened" in growth
    assert "Steps out of the debate" in part[: part.index("Growth areas")]


def test_agreement_between_the_two_coders_lists_their_disagreements(report):
    page = render_html(report)
    part = page[page.index('id="agreement"') : page.index('id="appendix"')]
    text = shown_text(part)
    assert report.agreement is not None
    assert "Dr Okafor and Dr <b>Moss</b>" in text
    assert "Group Kappa Agreement Events Pairs Same code Only first Only second All groups" in text
    disagreements = len(report.agreement.agreements[0].disagreements)
    assert f"Disagreements ({disagreements})" in text and disagreements > 0
    assert "only Dr <b>Moss</b>: 00:07.000 Links therapist, current and past people" in text
    assert "<b>" not in part


def test_hostile_text_is_shown_as_text_and_never_becomes_markup(report):
    page = render_html(report)
    parsed = parse(page)
    names = {tag for tag, _ in parsed.tags}
    assert "script" not in names and "img" not in names  # no stills asked for: no image at all
    assert [tag for tag, _ in parsed.tags].count("style") == 1
    assert "display:none" not in "".join(parsed.style)
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if "href" in attrs:
            assert attrs["href"].startswith("#"), attrs
        assert not any("javascript" in (value or "") for value in attrs.values()), attrs
    assert not CONTROL.search(page), repr(CONTROL.search(page))
    text = shown_text(page)
    assert text.count(HOSTILE_SHOWN) >= 4  # focus, the notes, the tag log
    assert text.count(HOSTILE_CUE_SHOWN) >= 2  # the rupture's quote, in its episode and moment
    assert "retitled" not in text  # an OSC sequence goes whole, not just its ESC
    assert "Author Dr <b>Moss</b> (rater)" in text and "<b>" not in page


def test_page_loads_nothing_from_outside(report):
    page = render_html(report)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"(?i)\b(?:src|href)\s*=\s*[\"']?(?:https?:|//|file:)", page)
    assert "url(" not in "".join(parse(page).style) and "@import" not in page


def test_write_html_embeds_a_still_per_key_moment_taken_at_the_tag(tmp_path, report, reviewed):
    media = reviewed[2]
    calls = []
    out = write_html(report, tmp_path / "review.html", media_path=media, progress=lambda *a: calls.append(a))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = out.read_text(encoding="utf-8")
    sources = [attrs["src"] for tag, attrs in parse(page).tags if tag == "img"]
    assert len(sources) == len(report.moments) == 8
    assert all(src.startswith("data:image/jpeg;base64,") for src in sources)
    jpegs = [base64.b64decode(src.split(",", 1)[1]) for src in sources]
    assert all(jpeg.startswith(b"\xff\xd8") and 2_000 < len(jpeg) < 60_000 for jpeg in jpegs)
    # The moving test pattern: moments at different times have different pictures, and two
    # tags at the same time (4.0 s rupture and question) the same one.
    by_time = {}
    for moment, jpeg in zip(report.moments, jpegs, strict=True):
        by_time.setdefault(moment.tag.start_ms, set()).add(jpeg)
    assert all(len(group) == 1 for group in by_time.values())
    assert len({next(iter(group)) for group in by_time.values()}) == len(by_time)
    assert calls == [(done, 8) for done in range(1, 9)]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_stills_go_to_the_file_as_they_are_taken_not_held(tmp_path, report, reviewed):
    """While the export runs, the temporary page on disk already holds every still taken so
    far: memory holds one still at a time, whatever the number of moments."""
    out = tmp_path / "out"
    out.mkdir()
    on_disk = []

    def progress(done, total):
        (temporary,) = out.glob(".review.html.*.tmp")
        on_disk.append(temporary.read_bytes().count(b"data:image/jpeg;base64,"))

    write_html(report, out / "review.html", media_path=reviewed[2], progress=progress)
    # The still just taken may sit in the write buffer; all the earlier ones are on disk.
    assert all(count >= done - 1 for done, count in enumerate(on_disk, start=1)), on_disk
    assert on_disk[-1] >= 6


def test_cancel_leaves_the_earlier_file_and_no_temporary(tmp_path, report, reviewed):
    target = tmp_path / "out" / "review.html"
    target.parent.mkdir()
    target.write_text("earlier report", encoding="utf-8")
    cancel = threading.Event()

    def progress(done, total):
        if done == 2:
            cancel.set()

    with pytest.raises(ExportCancelled):
        write_html(report, target, media_path=reviewed[2], progress=progress, cancel=cancel)
    assert target.read_text(encoding="utf-8") == "earlier report"
    assert sorted(p.name for p in target.parent.iterdir()) == ["review.html"]


def test_without_video_the_page_says_why_it_has_no_stills(tmp_path, report):
    audio = make_audio(tmp_path / "voice.wav", seconds=2.0)
    for media in (None, audio):
        page = write_html(report, tmp_path / "review.html", media_path=media).read_text(encoding="utf-8")
        assert "<img" not in page
        assert ("audio only" if media else "No recording was given") in page
    page = write_html(report, tmp_path / "review.html", media_path=audio, stills=False).read_text("utf-8")
    assert "no still frames" not in page


def test_unreadable_media_is_one_line_naming_it(tmp_path, report):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all" * 100)
    with pytest.raises(ReportError) as caught:
        write_html(report, tmp_path / "review.html", media_path=broken)
    assert "broken.mp4" in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "review.html").exists()


# --- a real browser -------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); .ci/run installs it"
)


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Headless Chromium with a fresh profile and nothing that talks to the network."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def written(tmp_path, report, reviewed):
    return write_html(report, tmp_path / "review.html", media_path=reviewed[2])


@needs_chromium
def test_chromium_builds_the_dom_with_the_quotes_and_no_script(tmp_path, written):
    result = chromium(tmp_path, written, "--dump-dom")
    dom = result.stdout.decode("utf-8")
    assert result.returncode == 0 and "</html>" in dom, result.stderr[-500:]
    assert html.escape(QUOTE, quote=False) in dom.replace("&#39;", "'")
    assert "<script" not in dom and "onerror" not in dom.replace("onerror=alert(4)&gt;", "")
    assert dom.count('src="data:image/jpeg;base64,') == 8
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


@needs_chromium
def test_chromium_screenshot_shows_the_page(tmp_path, written):
    shot = tmp_path / "review.png"
    result = chromium(tmp_path, written, "--hide-scrollbars", "--window-size=1000,1400", f"--screenshot={shot}")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-500:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1000, 1400)
    assert len(data) > 30_000  # text, a timeline and stills, not a blank page


@needs_chromium
def test_chromium_prints_every_section_on_its_page_at_full_size_nothing_cut(tmp_path, written):
    pdf = tmp_path / "review.pdf"
    result = chromium(tmp_path, written, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert result.returncode == 0 and pdf.is_file(), result.stderr[-500:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    else:  # count the page objects; Chromium writes them uncompressed
        pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 6  # header+focus, timeline, episodes, moments, strengths, appendix
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed: the PDF's layout was not checked")
    # Chromium never clips what is too wide for the paper: it shrinks the whole document to
    # fit. So "no clipped tables" means every word is inside the margins at full size.
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    words = [tuple(map(float, box)) for box in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', boxes)]
    assert max(x_max for _, _, x_max, _ in words) <= page_width - 30  # 14 mm margin is 40 pt
    heights = sorted(y_max - y_min for _, y_min, _, y_max in words)
    assert heights[len(heights) // 2] >= 10  # 10.5 pt body text, not shrunk (a 400-char word shrinks it to ~8)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    first = next(tmp_path.glob("page*.png")).read_bytes()
    assert first.startswith(b"\x89PNG") and len(first) > 2_000
