"""Rebuild tests/data/keeps.txt: real article sentences from the dev benchmark's
gold text (../shared/bench/quality-dev/gold, MIT, scrapinghub
article-extraction-benchmark) that contain words our rules trigger on.

    python tests/data/make_keeps.py ../shared/bench/quality-dev > tests/data/keeps.txt

Deterministic: pages in id order, sentences in page order, at most a few per
trigger word per page, so the file covers many sites.
"""

import re
import sys
from pathlib import Path

TRIGGERS = {
    "share": r"\bshar(e|es|ed|ing)\b",
    "read": r"\bread(s|ing)?\b",
    "comment": r"\bcomment(s|ed|ing)?\b",
    "reply": r"\brepl(y|ied|ies)\b",
    "follow": r"\bfollow(s|ed|ing)?\b",
    "subscribe": r"\bsubscri(be|bed|bers?|ption)\b",
    "photo": r"\bphoto(s|graph|graphs|grapher)?\b",
    "credit": r"\bcredit(s|ed)?\b",
    "date": r"\b(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    "about": r"\babout\b",
    "by": r"^By\b|\bby\b",
    "more": r"\bmore from\b|\brelated\b|\blatest\b|\balso\b",
    "copyright": r"\bcopyright\b|\bcookies?\b|\bnewsletter\b|\bsponsored\b|\badvertis",
}
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
#: Gold sentences that are the site's notices, not the article's text: the
#: benchmark's annotators kept them on a page or two, and our rules remove
#: that kind of line on purpose. Each is named with the rule that takes it.
NOT_ARTICLE = {
    # LEGAL012, an affiliate disclosure
    "Disclosure: ZDNet may earn a commission from some of the products featured on this page.",
    # PROMO021, the site's prompt to follow it on social networks
    "Follow NBC Latino on Facebook, Twitter and Instagram.",
}


def main(bench: Path) -> None:
    seen = set()
    out = []
    for path in sorted((bench / "gold").glob("*.txt")):
        per_trigger: dict[str, int] = {}
        for para in path.read_text(encoding="utf-8").splitlines():
            for sent in SENTENCE_RE.split(para.strip()):
                words = len(sent.split())
                if not 6 <= words <= 60 or not sent.isascii() or sent in seen or sent in NOT_ARTICLE:
                    continue
                for name, pattern in TRIGGERS.items():
                    if re.search(pattern, sent, re.IGNORECASE if name != "by" else 0) and per_trigger.get(name, 0) < 2:
                        per_trigger[name] = per_trigger.get(name, 0) + 1
                        seen.add(sent)
                        out.append(sent)
                        break
    print("# Real article sentences (gold text of ../shared/bench/quality-dev, MIT) that contain")
    print("# words the rules trigger on. Every one must survive every pack. Rebuild: tests/data/make_keeps.py")
    for sent in out:
        print(sent)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
