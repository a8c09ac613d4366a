"""Pure per-document cleaning: text in, cleaned text and removals out. No I/O.

>>> result = clean_text("ADVERTISEMENT\\nThe talks went on for hours, officials said on Monday.")
>>> result.text
'The talks went on for hours, officials said on Monday.'
>>> [(r.line, r.rule) for r in result.removals]
[(1, 'ADS001')]
>>> apply_removals("ADVERTISEMENT\\nThe talks went on for hours, officials said on Monday.", result.removals) == result.text
True
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from cleaner.config import Config
from cleaner.doc import CleanResult, Removal
from cleaner.errors import ReplayError, RulePackError, UsageError
from cleaner.examples import check_example
from cleaner.heuristics import (
    PULLED_OUT,
    REGISTRY,
    RUN_HEURISTICS,
    Heuristic,
    dated_lists,
    interview_lists,
    led_tables,
    line_after,
    line_before,
    lost_pulled_quotes,
    numbered_lists,
    recipe_cards,
    tweet_embeds,
)
from cleaner.langid import UNDETERMINED, detect_language
from cleaner.matcher import LineMatcher, ScannedLines
from cleaner.page import STOP_END_RE, Page, assemble, count_words, is_prose, is_sentence, split_lines
from cleaner.rulepack import (
    BLOCK_MAX_LINES,
    BLOCK_MAX_WORDS,
    LANG_RE,
    TRAILER_MAX_WORDS,
    Rule,
    RuleSet,
    load_rules,
)
from cleaner.safety import LINE_SECONDS, MAX_RULE_LINE_CHARS, MatchTimeout, time_limit
from cleaner.template import line_key

BUDGET_FLAG = "removal_budget"
TIMEOUT_FLAG = "rule_timeout"
#: The id of removals made by the cross-document template pass.
TEMPLATE_ID = "TMPL001"
#: How reports and `cleaner rules list` describe TMPL001.
TEMPLATE_WHY = "A short line that many documents of the same source carry is that site's boilerplate."
#: Time limit for all line rules on one document before the per-line
#: guarded retry (see :mod:`cleaner.safety`).
DOC_SECONDS = 10.0


class Cleaner:
    """Rules and heuristics loaded once, applied to many documents.

    ``Cleaner(config).clean(text)`` is what :func:`clean_text` calls; build
    one yourself to clean many texts with a non-default config.
    """

    def __init__(
        self, config: Config | None = None, ruleset: RuleSet | None = None, check_examples: bool = True
    ) -> None:
        """Load and check the rules of ``config`` (or ``ruleset``): every rule's
        ``removes``/``keeps`` examples must hold, unless ``check_examples`` is
        false (a local worker, whose parent checked the same packs)."""
        self.config = config = config or Config()
        if ruleset is None:
            ruleset = load_rules(config.rules, include_default=config.default_rules)
        self.ruleset = ruleset
        heuristics = list(REGISTRY.values()) if config.heuristics else []
        _check_namespace(ruleset.rules, heuristics)
        for rule in ruleset.rules if check_examples else ():
            problem = next(iter(example_failures(rule)), None)
            if problem:
                raise RulePackError(f"{rule.source}: rule {rule.id!r}: {problem}")
        _check_disable(config.disable, ruleset.rules, list(REGISTRY.values()))
        off = config.disable
        self._enabled = {r.id for r in ruleset.rules if not ({r.id, r.category, *r.aliases} & off)}
        self._by_language: dict[str | None, tuple[list[Rule], RulePlan]] = {}
        self.rules = [r for r in ruleset.rules if r.id in self._enabled]
        self.heuristics = [h for h in heuristics if not ({h.id, h.category} & off)]
        if config.language not in ("auto", "all") and not LANG_RE.match(config.language):
            raise UsageError(f"--language must be auto, all or a language code such as en, got {config.language!r}")

    def rules_for(self, lang: str | None) -> list[Rule]:
        """The enabled rules for a document of language ``lang``. Documents
        of undetermined language (short or mixed texts) get every pack."""
        return self._prepared(lang)[0]

    def _prepared(self, lang: str | None) -> tuple[list[Rule], RulePlan]:
        if lang not in self._by_language:
            packs_lang = None if lang == UNDETERMINED else lang
            rules = [r for r in self.ruleset.rules_for(packs_lang) if r.id in self._enabled]
            self._by_language[lang] = (rules, RulePlan.build(rules))
        return self._by_language[lang]

    def language_of(self, text: str) -> tuple[str | None, float | None]:
        """The language whose packs apply to ``text``, per the config."""
        if self.config.language == "auto":
            return detect_language(text, self.config.lang_backend)
        if self.config.language == "all":
            return None, None
        return self.config.language, None

    def clean(
        self,
        text: str,
        lang: str | None = None,
        lang_confidence: float | None = None,
        extracted: bool = False,
        template: Mapping[int, int] | None = None,
    ) -> CleanResult:
        """Clean one text. ``lang`` picks the language packs; without it the
        language comes from the config (detected, fixed, or every pack).
        ``extracted`` says an extractor already kept only the main content
        (HTML input): the page-layout heuristics are skipped. ``template``
        maps the line keys that are template in this document's source (see
        :mod:`cleaner.template`) to the number of documents that have them."""
        if lang is None:
            lang, lang_confidence = self.language_of(text)
        rules, plan = self._prepared(lang)
        flags = []
        page = Page.from_text(text)
        try:
            with time_limit(DOC_SECONDS):
                apply_rules(page, plan)
        except MatchTimeout:
            # Some line made a regex crawl: redo the rules line by line under
            # a per-line limit, keeping the lines that hit it.
            page = Page.from_text(text)
            if apply_rules(page, plan, guard=True):
                flags.append(TIMEOUT_FLAG)
        if template and TEMPLATE_ID not in self.config.disable and "template" not in self.config.disable:
            drop_template_lines(page, template)
        for h in self.heuristics:
            if not (extracted and h.layout):
                apply_heuristic(page, h)
        if any(r.detail and r.detail.startswith(PULLED_OUT) for r in page.removals):
            # A pulled-out copy whose later copy went too is the page's text.
            page.undrop(lost_pulled_quotes(page))
        if not extracted:
            keep_ordered_lists(page)
        words_in = page.input_words()
        if words_in and words_in - page.output_words() > self.config.max_removal_share * words_in:
            trailer_ids = {r.id for r in rules if r.action == "cut-trailer"}
            restore_prose(page, {h.id for h in self.heuristics} | trailer_ids | {TEMPLATE_ID})
            flags.append(BUDGET_FLAG)
        return CleanResult(
            text=page.output(),
            removals=sorted(page.removals, key=_removal_order),
            flags=flags,
            words_in=words_in,
            words_removed=words_in - page.output_words(),
            lang=lang,
            lang_confidence=lang_confidence,
        )


def drop_template_lines(page: Page, template: Mapping[int, int]) -> None:
    """TMPL001: drop the lines that many documents of this source share."""
    for i, text in page.iter_alive():
        n = template.get(line_key(text) or 0)
        if n:
            page.drop(i, TEMPLATE_ID, f"template: in {n} documents of this source")


def _removal_order(r: Removal) -> tuple[int, bool, int]:
    return (r.line, r.start is None, r.start or 0)


def _check_namespace(rules: Sequence[Rule], heuristics: Sequence[Heuristic]) -> None:
    rule_ids = {rid: r.source for r in rules for rid in (r.id, *r.aliases)}
    for h in heuristics:
        if h.id in rule_ids:
            raise UsageError(f"{rule_ids[h.id]}: rule id {h.id!r} is taken by a built-in heuristic; pick another id")


def _check_disable(names: Iterable[str], rules: Sequence[Rule], heuristics: Sequence[Heuristic]) -> None:
    known = {n for r in rules for n in (r.id, r.category, *r.aliases)} | {
        n for h in heuristics for n in (h.id, h.category)
    }
    known |= {TEMPLATE_ID, "template"}
    unknown = sorted(set(names) - known)
    if unknown:
        raise UsageError(f"--disable: unknown rule id or category {', '.join(unknown)} (see `cleaner rules list`)")


@lru_cache(maxsize=8)
def _cleaner(config: Config) -> Cleaner:
    return Cleaner(config)


def clean_text(text: str, config: Config | None = None) -> CleanResult:
    """Clean one scraped text (one block per line). Returns the cleaned text
    and every removal, in line order. See the module docstring."""
    return _cleaner(config or Config()).clean(text)


def run_one(item: Rule | Heuristic, text: str) -> str:
    """Clean ``text`` with one rule or heuristic alone (for its examples)."""
    page = Page.from_text(text)
    if isinstance(item, Rule):
        apply_rules(page, RulePlan.build([item], prefilter=False))
    else:
        apply_heuristic(page, item)
    return page.output()


def example_failures(item: Rule | Heuristic, kinds: Sequence[str] = ("removes", "keeps")) -> Iterable[str]:
    """Describe every example of ``item`` that its own behaviour contradicts."""
    for kind in kinds:
        for n, example in enumerate(getattr(item, kind)):
            problem = check_example(lambda t: run_one(item, t), example, kind)
            if problem:
                yield f"{kind}[{n}] contradicts the rule: {problem}"


# --- applying rules ---------------------------------------------------------


@dataclass(frozen=True)
class RulePlan:
    """The rules of one language, grouped by action, with their one-pass
    matchers built once."""

    spans: tuple[Rule, ...]
    drops: LineMatcher
    markers: LineMatcher
    blocks: tuple[Rule, ...]
    trailers: tuple[Rule, ...]

    @classmethod
    def build(cls, rules: Sequence[Rule], prefilter: bool = True) -> RulePlan:
        """``prefilter=False`` skips building the literal scan (not worth it
        for a rule or two)."""
        by = {
            a: tuple(r for r in rules if r.action == a)
            for a in ("strip-span", "drop-line", "drop-block", "cut-trailer")
        }
        return cls(
            spans=by["strip-span"],
            drops=LineMatcher(by["drop-line"], prefilter),
            markers=LineMatcher([*by["drop-block"], *by["cut-trailer"]], prefilter),
            blocks=by["drop-block"],
            trailers=by["cut-trailer"],
        )


def _matchable(page: Page) -> list[tuple[int, str]]:
    """Lines the line rules look at: alive, and not absurdly long."""
    return [(i, t) for i, t in page.iter_alive() if len(t) <= MAX_RULE_LINE_CHARS]


def apply_rules(page: Page, plan: RulePlan, guard: bool = False) -> list[int]:
    """Apply rules by action, in this order: span strips, line drops, blocks,
    trailers, so each later action sees what the earlier ones removed. With
    ``guard``, each line's matching runs under a time limit; the lines that
    hit it are left alone and returned."""
    timed_out: list[int] = []

    def run(i: int, fn: Callable[[], Any]) -> Any:
        if not guard:
            return fn()
        try:
            with time_limit(LINE_SECONDS):
                return fn()
        except MatchTimeout:
            timed_out.append(i)
            return None

    for rule in plan.spans:
        for i, text in _matchable(page):
            span = run(i, partial(rule.span, text))
            if span:
                page.strip(i, span[0], span[1], rule.id)
    # Both passes look at the lines the spans left: the scan of those lines
    # is made once, and the markers' candidates that the drops took out are
    # passed over (_firing). Line by line, under the guard, the markers only
    # try the lines the drops left.
    items = _matchable(page)
    lines = None if guard else ScannedLines(text for _, text in items)
    if plan.drops.rules:
        hits = [(i, hit) for i, hit in _first_matches(items, lines, plan.drops, run) if hit is not None]
        spared = {i for i, _ in _spared_subheads(page, hits)}
        for i, hit in hits:
            if i not in spared:
                page.drop(i, hit.id)
    if plan.markers.rules:
        if guard:
            items = _matchable(page)
        # One pass finds the lines where any block or trailer rule may fire;
        # each rule then only looks at those lines.
        candidates = [i for i, hit in _first_matches(items, lines, plan.markers, run) if hit is not None]
        for rule in plan.blocks:
            _drop_blocks(page, rule, candidates)
        for rule in plan.trailers:
            _cut_trailer(page, rule, candidates)
    return sorted(set(timed_out))


#: Rules of these categories leave a line that sits between two lines of
#: prose: there a section name of a site's menu ('Politics', 'Wirtschaft',
#: 'Santé') is the article's subhead, and so is a bare date ('9. November
#: 1989', '20 de noviembre de 1975') in a chronology. A date with a clock
#: time or a label ('Updated', 'Publié le') is a stamp wherever it is.
SUBHEAD_CATEGORIES = frozenset({"section", "date"})
#: Bare dates between paragraphs are subheads when there are at least this many.
CHRONOLOGY_MIN_DATES = 2
_STAMP_RE = re.compile(
    r"\d{1,2}\s?[:.h]\s?\d{2}\b|\b(?:updated|published|posted|modified|aktualisiert|veröffentlicht|erschienen|stand"
    r"|publié|mis à jour|modifié|actualizad[oa]|publicad[oa]|pubblicato|aggiornato|опубликовано|обновлено)\b",
    re.IGNORECASE,
)


#: A social network's name alone: between two paragraphs, the subhead of an
#: article about the platform (a share bar has more than one button).
_NETWORK_RE = re.compile(
    r"\s*(?:facebook|twitter|x|instagram|whatsapp|telegram|linkedin|tiktok|youtube|snapchat|pinterest|threads"
    r"|reddit|bluesky|mastodon|вконтакте|одноклассники)\s*",
    re.IGNORECASE,
)


def _spared_subheads(page: Page, hits: list[tuple[int, Rule]]) -> list[tuple[int, Rule]]:
    """The line-rule hits that are the article's subheads (see
    ``SUBHEAD_CATEGORIES``). Bare dates only when there are two or more on
    the page (a chronology): one date between a standfirst and the body is
    the page's date."""
    spared = [(i, hit) for i, hit in hits if _may_be_subhead(hit, page.originals[i]) and _subhead(page, i)]
    if sum(hit.category == "date" for _, hit in spared) < CHRONOLOGY_MIN_DATES:
        spared = [(i, hit) for i, hit in spared if hit.category != "date"]
    return spared


def _may_be_subhead(rule: Rule, text: str) -> bool:
    if rule.category == "share":
        return bool(_NETWORK_RE.fullmatch(text))
    return rule.category in SUBHEAD_CATEGORIES and not (rule.category == "date" and _STAMP_RE.search(text))


#: The prose on each side has at least this many words.
SUBHEAD_PROSE_WORDS = 8


def _subhead(page: Page, i: int) -> bool:
    """The nearest lines with text above and below line ``i`` (in the
    input) are prose."""
    return all(
        j is not None and is_prose(page.originals[j], SUBHEAD_PROSE_WORDS)
        for j in (line_before(page, i), line_after(page, i))
    )


def _first_matches(
    items: list[tuple[int, str]],
    lines: ScannedLines | None,
    matcher: LineMatcher,
    run: Callable[[int, Callable[[], Any]], Any],
) -> list[tuple[int, Rule | None]]:
    """The first matching rule of each of ``items`` (line index, text): all
    at once (one literal scan of ``lines``, their texts), or line by line
    under ``run``'s time limit when there is no ``lines``."""
    if lines is None:
        return [(i, run(i, partial(matcher.first_match, text))) for i, text in items]
    return list(zip((i for i, _ in items), matcher.first_matches(lines), strict=True))


def _firing(page: Page, rule: Rule, candidates: Sequence[int]) -> Iterator[tuple[int, int, list[int]]]:
    """The candidate lines where a block or trailer rule fires, as ``(line,
    position among the alive lines, alive lines)``: still alive, matched,
    and past the ``near_end`` guard when the rule has it. The alive lines
    are those before the rule's first firing (made only then: a rule seldom
    fires)."""
    alive: list[int] = []
    for i in candidates:
        if not page.is_alive(i) or not rule.matches(page.text(i)):
            continue
        if rule.near_end and not _in_tail(page, i):
            continue
        alive = alive or page.alive()
        yield i, bisect_left(alive, i), alive


def _drop_blocks(page: Page, rule: Rule, candidates: Sequence[int]) -> None:
    max_words = BLOCK_MAX_WORDS if rule.max_words is None else rule.max_words
    max_lines = BLOCK_MAX_LINES if rule.max_lines is None else rule.max_lines
    for i, pos, alive in _firing(page, rule, candidates):
        page.drop(i, rule.id, "block header")
        for j in alive[pos + 1 : pos + 1 + max_lines]:
            if count_words(page.text(j)) > max_words or not page.is_alive(j):
                break
            page.drop(j, rule.id, f"in the block under line {i + 1}")


def _in_tail(page: Page, i: int) -> bool:
    """The ``near_end`` guard: fewer words of kept text after line ``i``
    than before it. (Blocks and trailers with this guard are rare, so one
    pass per candidate is fine.)"""
    before = after = 0
    for j, text in page.iter_alive():
        if j < i:
            before += count_words(text)
        elif j > i:
            after += count_words(text)
    return after < before


def teaser_or_prompt(text: str, max_words: int = TRAILER_MAX_WORDS) -> bool:
    """What may follow a trailer marker: a line cut off with an ellipsis (a
    teaser summary), or a short line that is not a full sentence of ten
    words or more (article paragraphs can be short; headlines and prompts
    rarely end like sentences)."""
    stripped = text.rstrip()
    if stripped.endswith(("…", "...")):
        return True
    n = count_words(stripped)
    return n <= max_words and not (n >= 10 and is_sentence(stripped))


def _cut_trailer(page: Page, rule: Rule, candidates: Sequence[int]) -> None:
    max_words = TRAILER_MAX_WORDS if rule.max_words is None else rule.max_words
    for i, pos, alive in _firing(page, rule, candidates):
        # Scan forward only as far as the first prose line, so a page with
        # many markers costs no more than a few lines per marker.
        tail = (alive[k] for k in range(pos + 1, len(alive)) if page.is_alive(alive[k]))
        blocker = next((j for j in tail if not teaser_or_prompt(page.text(j), max_words)), None)
        if blocker is None:
            page.drop(i, rule.id, "trailer marker")
            for j in alive[pos + 1 :]:
                page.drop(j, rule.id, f"in the trailer under line {i + 1}")
            return
        end = alive.index(blocker, pos + 1)
        box = [j for j in alive[pos + 1 : end] if page.is_alive(j)]
        if (
            rule.category == "trailer"
            and len(box) <= BOX_MAX_LINES
            and all(_headline(page.text(j)) for j in box)
            and sum(count_words(page.text(j)) >= 3 for j in box) >= BOX_MIN_LINES
        ):
            # The article goes on after a box of other stories' headlines.
            page.drop(i, rule.id, f"box header: line {blocker + 1} is prose, so only the box goes")
            for j in box:
                page.drop(j, rule.id, f"in the box under line {i + 1}")
            continue
        page.drop(i, rule.id, f"marker only: line {blocker + 1} is prose, so the trailer is not cut")


#: A trailer marker (category ``trailer``: 'More from UK', not a comment
#: header) with at least this many headlines (three words or more) under
#: it, then prose, heads a box of other stories inside the page: the box
#: goes. Two lines under 'Don't miss' or 'Up next' are as often the
#: article's own list.
BOX_MIN_LINES = 3
#: A longer run under a marker is a menu or the page's own header (with the
#: article's headline at its end), left to the layout heuristics.
BOX_MAX_LINES = 15


def _headline(text: str) -> bool:
    """A line that reads as a headline, a kicker over one, or a teaser: cut
    off with an ellipsis, or without a full stop, '!' or '?' at its end (a
    headline may end in a quote: "... 'gave list of fetishes'")."""
    stripped = text.rstrip()
    if stripped.endswith(":"):  # a lead-in to what follows
        return False
    return stripped.endswith(("…", "...")) or not STOP_END_RE.search(stripped)


def apply_heuristic(page: Page, h: Heuristic) -> None:
    for hit in h.fn(page):
        if hit.span is not None:
            page.strip(hit.index, hit.span[0], hit.span[1], h.id, hit.detail)
        else:
            page.drop(hit.index, h.id, hit.detail)


def keep_ordered_lists(page: Page) -> None:
    """Put back the items of lists numbered 1, 2, 3, ..., of schedules
    dated in order, of Q/A interviews and of embedded tweets
    (:func:`numbered_lists`, :func:`dated_lists`, :func:`interview_lists`,
    :func:`tweet_embeds`) that TEASE001 or EDGE001 took for a menu, unless
    the line before the list was taken out by anything else (a rule's 'Most
    read' header over a numbered list of other stories). Items taken out
    for another reason (a repeat, a rule) stay out, except a tweet's
    '— Name (@handle) Date' line when its tweet is kept: two tweets of one
    account repeat it. Recipe cards (:func:`recipe_cards`) come back
    without the guard: their two headers are evidence enough. A table led
    into by a line ending with ':' (:func:`led_tables`) comes back when its
    lead-in is kept or was taken by TEASE001/EDGE001 (not by a rule, not as
    a repeat); its cells come back from REP001 too, as cells repeat."""
    back = []
    tweets = tweet_embeds(page)
    for items in [*numbered_lists(page), *dated_lists(page), *interview_lists(page), *tweets]:
        before = line_before(page, items[0])
        if before is not None and page.dropped[before] not in (None, *RUN_HEURISTICS):
            continue
        back += [i for i in items if page.dropped[i] in RUN_HEURISTICS]
    for items in tweets:  # the '— Name (@handle) Date' line repeats, its tweet does not
        if page.dropped[items[-1]] == "REP001" and all(page.dropped[i] is None or i in back for i in items[:-1]):
            back.append(items[-1])
    for card in recipe_cards(page):  # 'Ingredients' and 'Directions' are evidence enough
        back += [i for i in card if page.dropped[i] in RUN_HEURISTICS]
    for lead, *cells in led_tables(page):  # the lead-in is evidence enough; cells repeat
        if page.dropped[lead] in (None, *RUN_HEURISTICS):  # not a rule's sign-up line, not a repeat
            back += [i for i in [lead, *cells] if page.dropped[i] in (*RUN_HEURISTICS, "REP001")]
    page.undrop(back)


def restore_prose(page: Page, rule_ids: set[str]) -> None:
    """The removal budget: put back prose lines dropped by ``rule_ids``."""
    page.undrop(i for i, rule in enumerate(page.dropped) if rule in rule_ids and page.prose(i))


# --- replay -----------------------------------------------------------------


def apply_removals(text: str, removals: Iterable[Removal]) -> str:
    """Rebuild the cleaned text from the input and its removals, checking
    that each removal fits the text. Raises :class:`ReplayError` if not."""
    lines = split_lines(text)
    spans: dict[int, list[Removal]] = {}
    whole: dict[int, Removal] = {}
    for r in removals:
        if not 1 <= r.line <= len(lines):
            raise ReplayError(f"removal on line {r.line} but the text has {len(lines)} lines")
        if r.is_span:
            spans.setdefault(r.line - 1, []).append(r)
        else:
            whole[r.line - 1] = r
    texts = list(lines)
    for i, rs in spans.items():
        chars = list(lines[i])
        for r in rs:
            assert r.start is not None and r.end is not None
            if lines[i][r.start : r.end] != r.text:
                raise ReplayError(
                    f"line {r.line}: span {r.start}:{r.end} is {lines[i][r.start : r.end]!r}, removal says {r.text!r}"
                )
            for k in range(r.start, r.end):
                chars[k] = ""
        texts[i] = "".join(chars)
    dropped: list[str | None] = [None] * len(lines)
    for i, r in whole.items():
        if texts[i] != r.text:
            raise ReplayError(f"line {r.line}: is {texts[i]!r}, removal says {r.text!r}")
        dropped[i] = r.rule
    return assemble(texts, dropped)
