"""EDGE001 with what the rules took out: removed lines still part runs of content."""

from __future__ import annotations

import pytest

from cleaner import Config, clean_text

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


# --- lists numbered 1, 2, 3, ... are the article's ------------------------------

PICKS = [
    "1) Lego Star Wars Resistance Bomber set",
    "2) Electric racing track with two cars",
    "3) Blade Runner The Final Cut on Blu-Ray",
    "4) Ghostbusters collection in a steel box",
]
MENU = ["Home and Garden Ideas", "Gift Guides for Everyone", "Holiday Travel Deals", "Best Kitchen Gadgets Reviewed"]


def test_a_numbered_list_after_the_article_stays() -> None:
    # The short lines of the list are a run TEASE001 takes for a menu; they
    # are numbered 1, 2, 3, ... in order, so they are the article's list.
    assert kept([*ARTICLE, *PICKS, *MENU]) == [*ARTICLE, *PICKS]


def test_a_list_that_is_not_numbered_in_sequence_goes() -> None:
    shuffled = [PICKS[2], PICKS[0], PICKS[3], PICKS[1]]
    assert kept([*ARTICLE, *shuffled, *MENU]) == ARTICLE


def test_a_numbered_list_under_a_removed_section_header_goes() -> None:
    # "Most Read" is a rule's (TRAIL001) header: a numbered list of other stories.
    stories = [
        "1. Council approves bridge closure plan",
        "2. Ferry service to run until repairs end",
        "3. Shops fear losses",
    ]
    assert kept([*ARTICLE, "Most Read", *stories]) == ARTICLE


TOUR = [
    "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre",
    "June 10 – Tampa, FL @ Credit Union Amphitheatre",
    "June 14 – Alpharetta, GA @ Ameris Bank Amphitheatre",
    "Oct. 10 – Houston, TX @ The Woodlands Pavilion",
]


def test_a_schedule_dated_in_order_stays() -> None:
    assert kept([*ARTICLE, "Tour Dates", *TOUR, *MENU]) == [*ARTICLE, *TOUR]


def test_a_list_dated_newest_first_goes() -> None:
    stories = [
        "Nov. 19 – Council approves bridge closure plan for next year",
        "Nov. 18 – Ferry service will run until the repairs end",
        "Nov. 17 – Shop owners fear losses as the bridge closes",
    ]
    assert kept([*ARTICLE, *stories, *MENU]) == ARTICLE


def test_an_interview_in_q_and_a_lines_stays() -> None:
    interview = [
        "Q: Where did you grow up?",
        "A: St. Croix",
        "Q: Favorite athlete?",
        "A: Lebron James",
        "Q: Favorite books?",
        "A: A Fistful of Rice",
    ]
    assert kept([*ARTICLE, *interview, *MENU]) == [*ARTICLE, *interview]


def test_embedded_tweets_after_the_article_stay() -> None:
    tweets = [
        "Observe a minute of silence for the departed.",
        "— The City Council (@CityCouncil) October 9, 2018",
        "Council leader raises a motion on the bridge repairs and the budget for next year",
        "— The City Council (@CityCouncil) October 9, 2018",
    ]
    page = [*ARTICLE, "See tweets:", *tweets, "Click here to subscribe to our newsletter", *SHARE]
    assert kept(page) == [*ARTICLE, *tweets]


def test_a_repeated_interview_stays_out_the_second_time() -> None:
    interview = ["Q: Where did you grow up?", "A: St. Croix", "Q: Favorite athlete?", "A: Lebron James"]
    assert kept([*ARTICLE, *interview, *interview, *MENU]) == [*ARTICLE, *interview]


def test_a_box_of_long_cut_off_teasers_goes() -> None:
    # One paragraph cut off after the article is the article's; four in a row are a box of teasers.
    teasers = [
        f"Police in {town} say a man was arrested on Monday after a chase through the town centre, and the "
        "investigation into the break-ins at the station is continuing as officers look for two more…"
        for town in ("Avon", "Bray", "Cork", "Dale")
    ]
    assert kept([*ARTICLE, *teasers, *MENU]) == [*ARTICLE, teasers[0]]


def test_a_recipe_card_after_the_article_stays() -> None:
    card = [
        "Ingredients",
        "8 ripe pears, cored and peeled",
        "1 lemon",
        "1 tsp cinnamon",
        "Instructions",
        "Fill the canner with water and set it to simmer.",
        "Core, peel and cube the pears and boil them while stirring for about a minute",
        "Spoon the jam into jars and boil them for ten minutes.",
    ]
    assert kept([*ARTICLE, *card, *MENU]) == [*ARTICLE, *card]


@pytest.mark.parametrize(
    ("ingredients", "steps", "items", "step"),
    [
        (
            "Ingredientes",
            "Modo de preparo",
            ["3 cenouras médias picadas", "2 xícaras de farinha", "1 colher de fermento"],
            "Bata as cenouras com os ovos e o óleo no liquidificador por cinco minutos.",
        ),
        (
            "Ingredienti",
            "Procedimento",
            ["200 g di farina 00", "2 uova", "100 g di zucchero"],
            "Mescolate la farina con le uova e lo zucchero fino a ottenere un impasto liscio.",
        ),
        (
            "Ingredientes",
            "Elaboración",
            ["500 ml de leche entera", "1 rama de canela", "150 g de arroz"],
            "Calienta la leche con la canela y añade el arroz cuando empiece a hervir.",
        ),
        (
            "Ингредиенты",
            "Способ приготовления",
            ["500 мл молока", "2 яйца", "200 г муки"],
            "Смешайте молоко с яйцами, добавьте муку и хорошо перемешайте тесто.",
        ),
    ],
)
def test_recipe_cards_are_known_by_their_method_header_in_other_languages(
    ingredients: str, steps: str, items: list[str], step: str
) -> None:
    card = [ingredients, *items, steps, step]
    assert kept([*ARTICLE, *card, *MENU]) == [*ARTICLE, *card]


def test_a_recipe_card_ends_at_its_steps() -> None:
    card = [
        "Ingredients",
        "8 ripe pears",
        "1 lemon",
        "Instructions",
        "Fill the canner with water and set it to simmer.",
    ]
    after = ["You Might Also Like These Easy Weeknight Dinner Recipes", "Jane says: Made this twice, delicious!"]
    out = kept([*ARTICLE, *card, *after, *MENU])
    assert out[: len(ARTICLE) + len(card)] == [*ARTICLE, *card] and after[0] not in out


def test_a_tweet_embedded_twice_comes_back_once() -> None:
    tweet = ["Observe a minute of silence for the departed.", "— The City Council (@CityCouncil) October 9, 2018"]
    page = [*ARTICLE, *tweet, *tweet, "Click here to subscribe to our newsletter", *SHARE]
    assert kept(page) == [*ARTICLE, *tweet]


STANDINGS = [
    "Pos.",
    "Driver",
    "Points",
    "1",
    "Kyle Busch",
    "5040",
    "2",
    "Martin Truex Jr.",
    "5035",
    "3",
    "Kevin Harvick",
    "5033",
]


def test_a_table_the_article_leads_into_stays() -> None:
    lead = "The final standings of the season after all 36 races are as follows:"
    assert kept([*ARTICLE, lead, *STANDINGS, *MENU]) == [*ARTICLE, lead, *STANDINGS]


def test_a_table_without_a_lead_in_goes() -> None:
    assert kept([*ARTICLE, "Standings", *STANDINGS, *MENU]) == ARTICLE


def test_a_table_under_a_sign_up_line_or_repeated_goes() -> None:
    signup = "Sign up for our newsletter to get the latest scores every morning:"
    assert kept([*ARTICLE, signup, *STANDINGS, *MENU]) == ARTICLE
    lead = "The final standings of the season after all 36 races are as follows:"
    page = [*ARTICLE, lead, *STANDINGS, *ARTICLE, lead, *STANDINGS, *MENU]
    assert kept(page).count(lead) == 1


LEDE = "The city council voted 7-2 on Monday to close the Main Street bridge to all traffic until repairs are finished."
BRIDGE = [
    LEDE,
    "Engineers found cracks in two of the bridge's steel supports during an inspection last month, the city said.",
    "“We cannot wait for it to fail,” Mayor Ann Lee said after the vote, adding that the city would look for money.",
    "Repairs are expected to take two years and cost about $14 million, according to a city estimate.",
    "Drivers will be sent to the Elm Street bridge, about a mile to the north, during the work.",
]


def test_a_pulled_quote_goes_and_the_article_keeps_its_own_copy() -> None:
    text = "\n".join(["Highlights", BRIDGE[3], *BRIDGE])
    out = clean_text(text).text.split("\n")
    assert out == BRIDGE


def test_a_lede_quoted_again_in_a_comment_stays() -> None:
    # REP001 takes the lede for a pulled-out copy of the comment's quote;
    # when the comment section goes, the lede comes back.
    comments = [
        "12 comments",
        "jdoe says:",
        "November 20, 2019 at 4:47 pm",
        "I have lived here for thirty years and I have never seen the council move this fast on anything at all.",
        LEDE,
        "Two of those seven votes were from people who had blocked the repair money last year, which nobody remembers.",
        "Reply",
        "fan99 says:",
        "November 20, 2019 at 5:02 pm",
        "About time. That bridge has been falling apart for a decade.",
        "Reply",
        "bob says:",
        "November 20, 2019 at 5:30 pm",
        "Who is going to pay for the detour signs?",
        "Reply",
    ]
    out = clean_text("\n".join([*BRIDGE, *comments])).text.split("\n")
    assert out[0] == LEDE and "jdoe says:" not in out


def test_a_box_of_headlines_inside_the_article_goes_with_its_header() -> None:
    box = [
        "More from UK",
        "Prince Andrew: BT and three universities abandon ties with duke after TV interview",
        "EuroMillions: UK ticket holder wins £105m jackpot prize",
        "'Naive and trusting' student gave list to man on dating site, court hears",
    ]
    text = "\n".join([*BRIDGE[:3], *box, *BRIDGE[3:]])
    assert clean_text(text).text.split("\n") == BRIDGE
    # The rule does it, not the layout heuristics.
    assert clean_text(text, Config(heuristics=False)).text.split("\n") == BRIDGE


def test_a_header_over_a_lead_in_or_a_long_run_drops_alone() -> None:
    lead_in = ["You may also like", "Here are the highlights:", "Schools stay open", "Taxes go down"]
    result = clean_text("\n".join([*BRIDGE[:3], *lead_in, *BRIDGE[3:]]))
    assert [r.rule for r in result.removals if r.text in lead_in[1:]] != ["TRAIL001"] * 3
    assert not any(r.detail and "in the box" in r.detail for r in result.removals)
    long_run = ["Latest headlines", *[f"Section number {k} of the site" for k in range(16)]]
    result = clean_text("\n".join([*BRIDGE[:3], *long_run, *BRIDGE[3:]]))
    assert not any(r.detail and "in the box" in r.detail for r in result.removals)


def test_two_lines_under_a_marker_or_a_list_under_a_comment_header_stay() -> None:
    rules_only = Config(heuristics=False)
    fixtures = ["Up next", "Arsenal v Liverpool, Premier League, Sunday 4.30pm", "Sevilla v Arsenal, Champions League"]
    poll = [
        "What do you think?",
        "Repair the historic building on Main Street",
        "Build a new library on the former bus depot site",
        "Leave the money in the reserve fund",
    ]
    for lines in (fixtures, poll):
        result = clean_text("\n".join([*BRIDGE[:3], *lines, *BRIDGE[3:]]), rules_only)
        assert [r.text for r in result.removals] == [lines[0]]


BOX = ["Goals: Smith 12', Jones 78'", "Attendance: 41,200", "Referee: A. Brown", "Yellow cards: Lee, Park"]
NEXT = (
    "The return leg is on April 12 in Dortmund, kick-off is at 6.30 pm, and more than eighty thousand fans are"
    " expected in the sold-out stadium."
)


def test_prose_after_a_short_box_past_the_peak_stays_with_the_article() -> None:
    assert kept([*ARTICLE, *BOX, NEXT]) == [*ARTICLE, *BOX, NEXT]


def test_one_short_sentence_after_a_box_of_links_is_not_the_article() -> None:
    links = ["Top Stories", "Sports Scores", "Weather Radar", "Traffic Cams"]
    tagline = "We are the best of the eighties and nineties, every day!"
    assert kept([*ARTICLE, *links, tagline]) == ARTICLE


def test_a_line_a_rule_took_out_after_the_peak_parts_the_prose_after_it() -> None:
    assert kept([*ARTICLE, BOX[0], "Share this article", BOX[1], NEXT]) == ARTICLE


TIPS = [
    "What to do in the heat",
    "Drink water even when not thirsty",
    "Stay out of the sun at midday",
    "Wear light clothes",
]


def test_a_subhead_and_its_short_list_between_two_runs_of_prose_stay() -> None:
    page = [ARTICLE[0], ARTICLE[1], *TIPS, ARTICLE[2]]
    assert kept(page) == page


def test_a_box_under_a_header_a_rule_took_out_between_runs_of_prose_goes() -> None:
    # two items: too few for TEASE001, so EDGE001 alone decides
    page = [ARTICLE[0], ARTICLE[1], "Related", *TIPS[1:3], *ARTICLE[2:]]
    assert kept(page) == ARTICLE


def test_bare_dates_between_paragraphs_are_a_chronologys_subheads_and_stamps_go() -> None:
    text = [
        "The wall divided Berlin for almost three decades, until the border suddenly opened one evening.",
        "November 9, 1989",
        "That evening a spokesman read out the new travel rules at a press conference broadcast live.",
        "October 3, 1990",
        "Less than a year later the two states were united again, and the old border posts were taken down.",
        "Updated: November 9, 2019",
        "The anniversary was marked at the Brandenburg Gate, where thousands of people gathered in the cold.",
        "10:42 AM",
        "Officials said more events would follow in the coming weeks across the whole of the city.",
    ]
    assert kept(text) == [*text[:5], text[6], text[8]]


def test_a_networks_name_alone_between_paragraphs_is_a_subhead_and_a_share_bar_goes() -> None:
    text = [
        "Regulators looked at how the largest platforms collect data about people who never signed up.",
        "Facebook",
        "The company still collects the most data, including about people without an account, the report found.",
        "Facebook",
        "Twitter",
        "Email",
        "WhatsApp",
        "The messaging service keeps less, but shares phone numbers with its parent company, the regulator said.",
    ]
    assert kept(text) == [text[0], text[1], text[2], text[7]]


def test_one_bare_date_between_the_standfirst_and_the_body_is_the_pages_date() -> None:
    text = [
        "The council says the old bridge will stay closed to all traffic until the repairs are finished.",
        "November 19, 2019",
        *ARTICLE,
    ]
    assert kept(text) == [text[0], *ARTICLE]


def test_an_author_box_or_a_promoted_widget_after_the_article_does_not_join_it() -> None:
    author = [
        "Chris Welch",
        "Senior Reviewer",
        "Chris has been reviewing audio gear for more than a decade and lives in Brooklyn with far too many pairs"
        " of headphones and a very patient cat.",
    ]
    promoted = [
        "Promoted Links",
        "Seniors Are Ditching Their Cars for This",
        "Doctors Stunned: Drink This Before Bed",
        "This simple trick has homeowners across the country cutting their energy bills in half, and the utility"
        " companies are not happy about it at all.",
    ]
    assert kept([*ARTICLE, *author]) == ARTICLE
    assert kept([*ARTICLE, *promoted]) == ARTICLE
