"""Transcripts at scale: loading long SRT files, the memory it takes, and search.

A synthetic session SRT (speaker prefixes, some markup, two-line cues, like a long transcribed
recording) of 20,000 and 100,000 cues, written once to benchmarks/.cache/. Measured in the
same run, interleaved, medians:

- load: ``load_transcript(path)`` against pysrt alone on the same file
  (``pysrt.from_string(path.read_text())``: reading, decoding and parsing, no checks).
  Target: 20,000 cues in <= 0.5 s.
- memory: the peak while loading the 100,000-cue file, against the size of its decoded text
  (``sys.getsizeof`` of the str). Target: <= 3x. Measured two ways, and the target is judged
  on the larger: the peak of Python's allocations (tracemalloc: every object, array and
  buffer, though not the allocator's own overhead), and the growth of the peak resident set
  of a fresh process that loads the file once (Linux's VmHWM, reset just before loading,
  after a warm-up load of a small file, so imports and caches are not counted; no
  tracemalloc in that process to inflate it). pysrt alone on the same file is measured both
  ways beside it.
- held: what the loaded transcript keeps once loading is over, against the same decoded
  text, both ways (the same target, read as memory held rather than the peak).
- one fault: the same file with one cue numbered out of sequence, which makes the loader ask
  pysrt as well (the scan found something); its peak resident set growth, for information:
  the library's reading is the cost there.
- search: ``Transcript.search(query)`` (whole words) on the 20,000-cue transcript, the first
  query on a fresh transcript (which builds the index) and later ones, medians, against a
  plain loop testing ``query in text`` for each cue (what search did before it matched whole
  words). Target: <= 20 ms.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import benchlib  # puts the checkout on sys.path
import pysrt

from review_tui.model import format_ms
from review_tui.transcript import load_transcript

QUERIES = ("his voice", "angry", "what do you", "mother", "nothing at all", "zzz-not-there")
def timed(function, *args) -> float:
    gc.collect()
    began = time.perf_counter()
    function(*args)
    return time.perf_counter() - began


def pysrt_alone(path: Path) -> None:
    pysrt.from_string(path.read_text(encoding="utf-8"))


def ours(path: Path) -> None:
    load_transcript(path)


def bench_load(path: Path, runs: int) -> float:
    ours_s, base_s = [], []
    for _ in range(runs):  # interleaved, so noise hits both alike
        base_s.append(timed(pysrt_alone, path))
        ours_s.append(timed(ours, path))
    ours_med, base_med = statistics.median(ours_s), statistics.median(base_s)
    print(f"  load {path.name}: ours {ours_med * 1000:7.0f} ms · pysrt alone {base_med * 1000:7.0f} ms"
          f" · {benchlib.ratio(ours_med, base_med)} ({runs} runs, median)")
    return ours_med


def peak_bytes(function, *args) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_memory(path: Path) -> float:
    """The peak while loading ``path`` against its decoded text: the larger of the two ways."""
    text_bytes = sys.getsizeof(path.read_text(encoding="utf-8"))
    ours_peak = peak_bytes(ours, path)
    base_peak = peak_bytes(pysrt_alone, path)
    ours_rss, _ = rss_growth("ours", path)
    base_rss, _ = rss_growth("pysrt", path)
    print(f"  memory {path.name}: decoded text {text_bytes / 1e6:.1f} MB")
    print(f"    peak Python allocations (tracemalloc): ours {ours_peak / 1e6:.1f} MB "
          f"({ours_peak / text_bytes:.2f}x the text) · pysrt alone {base_peak / 1e6:.1f} MB "
          f"({base_peak / text_bytes:.2f}x) · ours vs pysrt {benchlib.ratio(ours_peak, base_peak)}")
    print(f"    peak resident set growth (fresh process): ours {ours_rss / 1e6:.1f} MB "
          f"({ours_rss / text_bytes:.2f}x the text) · pysrt alone {base_rss / 1e6:.1f} MB "
          f"({base_rss / text_bytes:.2f}x) · ours vs pysrt {benchlib.ratio(ours_rss, base_rss)}")
    return max(ours_peak, ours_rss) / text_bytes


def rss_growth(which: str, path: Path) -> tuple[int, int]:
    """(peak growth, growth still held after loading) of a fresh process's resident set while
    it loads ``path`` once, ours or pysrt alone; see _rss_child."""
    child = subprocess.run(
        [sys.executable, __file__, "--rss-child", which, str(path)],
        capture_output=True, text=True, check=True,
    )
    peak, held = child.stdout.split()
    return int(peak), int(held)


def _proc_status(field: str) -> int | None:
    """A size from /proc/self/status in bytes (Linux), or None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _rss_child(which: str, path: Path) -> None:
    """In the child: warm up on a small file, reset the peak, load ``path``, print the growth."""
    import resource

    load = ours if which == "ours" else pysrt_alone
    load(benchlib.REPO / "tests" / "data" / "transcripts" / "session.srt")
    gc.collect()
    before = _proc_status("VmRSS")
    try:  # "5" resets the peak resident set to the current one (Linux >= 4.0)
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        reset = True
    except OSError:
        reset = False
    kept = ours_kept(path) if which == "ours" else load(path)
    peak = _proc_status("VmHWM") if reset else None
    if peak is None or before is None:  # elsewhere: the lifetime peak, which can only overstate
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        before = before or 0
    held = (_proc_status("VmRSS") or peak) - before
    del kept
    print(peak - before, held)


def ours_kept(path: Path):
    return load_transcript(path)


def one_fault_copy(path: Path) -> Path:
    """``path`` with its middle cue numbered out of sequence, made once and cached."""
    faulty = path.with_name(path.stem + "_one_fault.srt")
    if faulty.is_file() and faulty.stat().st_size:
        return faulty
    text = path.read_text(encoding="utf-8")
    middle = len(text.split("\n\n")) // 2
    blocks = text.split("\n\n")
    number, rest = blocks[middle].split("\n", 1)
    blocks[middle] = f"{int(number) + 7}\n{rest}"
    partial = faulty.with_suffix(".part")
    partial.write_text("\n\n".join(blocks), encoding="utf-8")
    partial.replace(faulty)
    return faulty


def old_search(cues, query: str) -> list:
    needle = query.casefold().strip()
    return [cue for cue in cues if needle in cue.text.casefold()]


def bench_search(path: Path, repeats: int) -> tuple[float, float]:
    """(median first query on a fresh transcript, index build included; median later query)."""
    transcript = load_transcript(path)
    firsts = []
    for query in QUERIES:
        transcript._search_index = None  # as just loaded: the first search builds the index
        firsts.append(timed(transcript.search, query))
    ours_s, base_s = [], []
    cue_objects = list(transcript.cues)  # the loop as it ran: over a list of Cue
    for _ in range(repeats):
        for query in QUERIES:
            base_s.append(timed(old_search, cue_objects, query))
            ours_s.append(timed(transcript.search, query))
    first, later = statistics.median(firsts), statistics.median(ours_s)
    base_med = statistics.median(base_s)
    print(f"  search {len(transcript.cues)} cues, whole words: first query (builds the index) "
          f"{first * 1000:.1f} ms · later queries median {later * 1000:.2f} ms "
          f"(p90 {benchlib.percentile(ours_s, 90) * 1000:.2f} ms) · substring loop "
          f"{base_med * 1000:.2f} ms · later vs loop {benchlib.ratio(later, base_med)}")
    return first, later


def held_bytes(path: Path) -> int:
    """Python memory still allocated by the loaded transcript once loading is over."""
    gc.collect()
    tracemalloc.start()
    try:
        transcript = load_transcript(path)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
        del transcript
        return held
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="load runs per file (default 5)")
    parser.add_argument("--big", type=int, default=100_000, help="cues in the memory file")
    parser.add_argument("--rss-child", nargs=2, metavar=("WHICH", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        _rss_child(args.rss_child[0], Path(args.rss_child[1]))
        return
    print("== transcript load, memory and search")
    print(f"   {benchlib.machine_line()}  pysrt {pysrt.VERSION_STRING}")
    small = benchlib.synthetic_srt(20_000)
    big = benchlib.synthetic_srt(args.big)
    print(f"   files: {small.name} {small.stat().st_size / 1e6:.1f} MB, "
          f"{big.name} {big.stat().st_size / 1e6:.1f} MB (last cue at "
          f"{format_ms(load_transcript(small).span_ms[1], millis=False)} for 20,000)")
    load_s = bench_load(small, args.runs)
    big_s = bench_load(big, max(1, args.runs // 2))
    share = bench_memory(big)
    text_bytes = sys.getsizeof(big.read_text(encoding="utf-8"))
    held_traced = held_bytes(big) / text_bytes
    held_rss = rss_growth("ours", big)[1] / text_bytes
    held = max(held_traced, held_rss)
    print(f"  held after loading {big.name}: {held_traced:.2f}x its decoded text in Python "
          f"allocations, {held_rss:.2f}x in resident set growth")
    faulty = one_fault_copy(big)
    faulty_peak = rss_growth("ours", faulty)[0] / sys.getsizeof(faulty.read_text(encoding="utf-8"))
    print(f"  one fault in {big.name} (pysrt asked too): peak resident set growth "
          f"{faulty_peak:.2f}x its decoded text (for information; no target)")
    first_s, later_s = bench_search(small, 5)
    print("targets:")
    benchlib.verdict("20,000-cue SRT load", load_s, 0.5, " s")
    benchlib.verdict(f"{args.big:,}-cue SRT peak memory while loading vs its decoded text", share, 3.0, "x")
    benchlib.verdict(f"{args.big:,}-cue SRT memory held once loaded vs its decoded text", held, 3.0, "x")
    benchlib.verdict("search in 20,000 cues, first query (index built)", first_s * 1000, 20, " ms")
    benchlib.verdict("search in 20,000 cues, later queries", later_s * 1000, 20, " ms")
    print(f"   ({args.big:,}-cue load: {big_s:.2f} s)")


if __name__ == "__main__":
    main()
