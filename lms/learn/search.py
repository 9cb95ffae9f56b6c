"""Search over the catalog: course and module titles, objectives and text, down to the section.

The index is plain text taken from the sanitised HTML the catalog already holds, built once per
catalog (the catalog is immutable; a reload makes a new one, and with it a new index) and kept
beside it: no work per request but matching. Quiz blocks are not indexed. Matching is
case-insensitive; every word of the query must appear in one entry (a course overview, a
module's opening, or one of its h2/h3 sections). Highlighting is returned as (text, matched)
pieces for the template to escape: no HTML is built here.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser

from lms.content.catalog import Catalog, Course, Module

MAX_QUERY = 200  # characters: longer is a 400
MAX_TERMS = 8
MAX_RESULTS = 30
SNIPPET = 180  # characters around the first match
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    """One searchable piece: a course overview, a module's opening, or one section."""

    course: Course
    module: Module | None  # None: the course overview
    anchor: str | None  # the section's h2/h3 id, None for the top of the page
    section: str  # the section heading ("" for the top of the page)
    strong: str  # titles and objectives: weigh most
    body: str  # plain text


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    snippet: tuple[tuple[str, bool], ...]  # (text, matched) pieces
    more: tuple[Entry, ...] = ()  # other matching sections of the same module

    @property
    def title(self) -> str:
        return self.entry.module.title if self.entry.module else self.entry.course.title


class _TextExtractor(HTMLParser):
    """Splits rendered module HTML into (anchor, heading, text) sections at h2/h3 ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list] = [[None, [], []]]  # anchor, heading pieces, text pieces
        self.in_heading = False

    def handle_starttag(self, tag: str, attrs) -> None:
        anchor = dict(attrs).get("id")
        if tag in ("h2", "h3") and anchor:
            self.sections.append([anchor, [], []])
            self.in_heading = True
        elif tag in ("p", "li", "br", "td", "th", "div", "h4", "h5", "h6", "pre", "dt", "dd"):
            self.sections[-1][2].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self.in_heading = False

    def handle_data(self, data: str) -> None:
        self.sections[-1][1 if self.in_heading else 2].append(data)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def sections_of(html_parts: list[str]) -> list[tuple[str | None, str, str]]:
    """(anchor, heading, text) of each section of the HTML, the untitled opening first."""
    extractor = _TextExtractor()
    for part in html_parts:
        extractor.feed(part)
    extractor.close()
    return [(anchor, _clean("".join(heading)), _clean("".join(text)))
            for anchor, heading, text in extractor.sections]


def build_index(catalog: Catalog) -> tuple[Entry, ...]:
    entries = []
    for course in catalog.courses:
        overview = " ".join(text for _, heading, text in sections_of([course.overview_html])
                            for text in (heading, text))
        entries.append(Entry(course, None, None, "", course.title,
                             _clean(f"{course.summary} {overview}")))
        for module in course.modules:
            html = [part for part in module.parts if isinstance(part, str)]
            (_, _, opening), *sections = sections_of(html)
            entries.append(Entry(course, module, None, "",
                                 " · ".join(_clean(t) for t in (module.title,
                                                                *module.objectives)),
                                 opening))
            entries += [Entry(course, module, anchor, heading, heading, text)
                        for anchor, heading, text in sections if anchor]
    return tuple(entries)


class SearchIndex:
    """The index of one catalog, built on first use and reused while that catalog is current."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self._entries: tuple[Entry, ...] = ()

    def entries(self, catalog: Catalog) -> tuple[Entry, ...]:
        if self._catalog is not catalog:
            with self._lock:
                if self._catalog is not catalog:
                    self._entries = build_index(catalog)
                    self._catalog = catalog
        return self._entries


def terms_of(query: str) -> list[str]:
    """The distinct words of a query, longest first (so highlighting prefers them)."""
    words = [w for w in _clean(query).split(" ") if w][:MAX_TERMS]
    return sorted(dict.fromkeys(w.casefold() for w in words), key=len, reverse=True)


def _pattern(terms: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def _score(entry: Entry, patterns: list[re.Pattern[str]], phrase: re.Pattern[str]) -> float:
    """0 unless every word appears in the entry (or its course's title). Words in the name
    (the section heading, or the module or course title) weigh most, then objectives, then
    text; the whole query as a phrase in the name adds a bonus."""
    score = 0.0
    if entry.anchor:
        name, weight = entry.section, 8
    else:
        name, weight = (entry.module.title if entry.module else entry.course.title), 10
    for pattern in patterns:
        in_name = bool(pattern.search(name))
        in_strong = bool(pattern.search(entry.strong))
        count = len(pattern.findall(entry.body)) if not in_strong else 0
        if not (in_strong or count or pattern.search(entry.course.title)):
            return 0.0
        score += weight * in_name + 4 * in_strong + min(count, 5) * 0.5 + (0.5 if count else 0)
    if score and len(patterns) > 1 and phrase.search(name):
        score += 6
    return score


def snippet(text: str, pattern: re.Pattern[str]) -> tuple[tuple[str, bool], ...]:
    """About SNIPPET characters of `text` around its first match, cut at word boundaries, as
    (text, matched) pieces."""
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - SNIPPET // 3)
    end = min(len(text), start + SNIPPET)
    if start > 0:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    window = ("… " if start > 0 else "") + text[start:end] + (" …" if end < len(text) else "")
    pieces, last = [], 0
    for match in pattern.finditer(window):
        if match.start() > last:
            pieces.append((window[last:match.start()], False))
        pieces.append((match.group(), True))
        last = match.end()
    if last < len(window):
        pieces.append((window[last:], False))
    return tuple(pieces)


def search(entries: tuple[Entry, ...], query: str, visible: set[str]) -> list[Hit]:
    """The best entry of each module (or course) that matches every word, best first."""
    terms = terms_of(query)
    if not terms:
        return []
    patterns = [_pattern([t]) for t in terms]
    phrase = re.compile(r"\s+".join(re.escape(w) for w in _clean(query).split(" ")),
                        re.IGNORECASE)
    best: dict[tuple[str, str | None], list[tuple[float, Entry]]] = {}
    for entry in entries:
        if entry.course.key not in visible:
            continue
        score = _score(entry, patterns, phrase)
        if score:
            key = (entry.course.key, entry.module.key if entry.module else None)
            best.setdefault(key, []).append((score, entry))
    together = _pattern(terms)
    hits = []
    for scored in best.values():
        scored.sort(key=lambda pair: -pair[0])
        score, top = scored[0]
        text = top.body if together.search(top.body) or not top.strong else top.strong
        more = tuple(e for _, e in scored[1:4] if e.anchor and e.anchor != top.anchor)
        hits.append(Hit(top, score, snippet(text, together), more))
    hits.sort(key=lambda h: (-h.score, h.entry.course.order, h.title))
    return hits[:MAX_RESULTS]
