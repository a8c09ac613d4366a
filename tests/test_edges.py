"""EDGE001 with what the rules took out: removed lines still part runs of content."""

from __future__ import annotations

from cleaner import clean_text

ARTICLE = [
    "The council voted on Monday to close the old bridge for two years while engineers repair its supports.",
    "Residents will be able to use a ferry service, which the county has agreed to pay for until the work is done.",
    "Shop owners on both sides of the river say they expect to lose customers, and some plan to cut their hours.",
    "The council will meet again in two weeks to vote on the full repair plan and its budget for next year.",
    "Engineers first found cracks in the supports in March, after the storm, and closed one lane at the time.",
    "The mayor said the city would ask the state for help with the cost, which could reach forty million dollars.",
]
SHARE = ["Share this article", "Facebook", "Twitter", "Pinterest", "Email", "Print", "Reddit", "WhatsApp"]
BIO = "Jane Doe lives in the valley with her husband and two dogs and has written about local politics for years."


def kept(lines: list[str]) -> list[str]:
    return clean_text("\n".join(lines)).text.splitlines()


def test_prose_after_a_run_of_removed_lines_is_apart_from_the_article() -> None:
    out = kept([*ARTICLE, *SHARE, BIO])
    assert out == ARTICLE


def test_an_article_with_a_few_removed_lines_inside_stays_whole() -> None:
    page = [
        ARTICLE[0],
        ARTICLE[1],
        "ADVERTISEMENT",
        ARTICLE[2],
        ARTICLE[3],
        "Share this article",
        ARTICLE[4],
        ARTICLE[5],
    ]
    assert kept(page) == ARTICLE
