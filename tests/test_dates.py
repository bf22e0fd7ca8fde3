"""Time expressions anchored to a fixed publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.resolve.dates import BACKGROUND_DAYS, find_times, resolve_time, weekday_before
from sitrep.schema import TimePrecision

DAY, WEEK, MONTH, YEAR = TimePrecision.DAY, TimePrecision.WEEK, TimePrecision.MONTH, TimePrecision.YEAR
#: A Thursday in the second year of the rebel-ISIS war.
PUB = dt.date(2014, 6, 12)


def test_weekday_before():
    assert PUB.strftime("%A") == "Thursday"
    assert weekday_before(PUB, "Thursday") == PUB
    assert weekday_before(PUB, "Thursday", strictly=True) == dt.date(2014, 6, 5)
    assert weekday_before(PUB, "monday") == dt.date(2014, 6, 9)
    assert weekday_before(PUB, "Friday") == dt.date(2014, 6, 6)
    with pytest.raises(ValueError):
        weekday_before(PUB, "Funday")


@pytest.mark.parametrize(
    ("sentence", "expected", "precision", "text"),
    [
        ("Warplanes struck the market in Douma on Wednesday, activists said.", dt.date(2014, 6, 11), DAY, "on Wednesday"),
        ("Rebels shelled the Old City on Thursday.", PUB, DAY, "on Thursday"),
        ("Islamist fighters overran the checkpoint Sunday after a night of clashes.", dt.date(2014, 6, 8), DAY, "Sunday"),
        ("Monday's bombing of the bakery drew wide condemnation.", dt.date(2014, 6, 9), DAY, "Monday's"),
        ("Last Friday the army dropped barrel bombs on the town.", dt.date(2014, 6, 6), DAY, "Last Friday"),
        ("Clashes broke out yesterday in the eastern countryside.", dt.date(2014, 6, 11), DAY, "yesterday"),
        ("A car bomb exploded at the crossing today.", PUB, DAY, "today"),
        ("Heavy shelling rocked the Jobar district last night.", dt.date(2014, 6, 11), DAY, "last night"),
        ("Three days ago a convoy was ambushed on the Aleppo road.", dt.date(2014, 6, 9), DAY, "Three days ago"),
        ("The prison was stormed on June 3, the monitor said.", dt.date(2014, 6, 3), DAY, "June 3"),
        ("The brigade was formed on 3 June 2014 in Idlib.", dt.date(2014, 6, 3), DAY, "3 June 2014"),
        ("The town fell on 2014-05-30, according to the statement.", dt.date(2014, 5, 30), DAY, "2014-05-30"),
        ("The siege was tightened on Sunday, June 8, 2014.", dt.date(2014, 6, 8), DAY, "Sunday, June 8, 2014"),
    ],
)
def test_days(sentence, expected, precision, text):
    t = resolve_time(sentence, PUB)
    assert t is not None
    assert (t.date, t.precision, t.text) == (expected, precision, text)
    assert sentence[t.span[0] : t.span[1]].strip() == t.text
    assert not t.is_past_background


def test_explicit_old_date_is_background():
    t = resolve_time("The brigade was formed on 3 June 2013 in Idlib.", PUB)
    assert (t.date, t.precision, t.is_past_background) == (dt.date(2013, 6, 3), DAY, True)


def test_month_and_day_after_publication_is_last_year():
    t = resolve_time("The offensive began on August 20 with a wave of air strikes.", PUB)
    assert t.date == dt.date(2013, 8, 20)
    assert t.is_past_background  # ten months before publication


def test_two_days_and_the_weekend_are_a_week_range():
    t = resolve_time("Russian and Syrian jets bombed the city on Saturday and Sunday, killing dozens.", PUB)
    assert (t.date, t.precision) == (dt.date(2014, 6, 7), WEEK)
    assert (t.start, t.end) == (dt.date(2014, 6, 7), dt.date(2014, 6, 8))
    w = resolve_time("Dozens were killed in strikes over the weekend.", PUB)
    assert (w.date, w.precision, w.end) == (dt.date(2014, 6, 7), WEEK, dt.date(2014, 6, 8))
    assert resolve_time("The toll from the weekend bombing climbed.", PUB).date == dt.date(2014, 6, 7)


@pytest.mark.parametrize(
    ("sentence", "start", "end", "precision"),
    [
        ("The group withdrew from the village last week.", dt.date(2014, 6, 2), dt.date(2014, 6, 8), WEEK),
        ("Rebels made a series of gains in recent days.", dt.date(2014, 6, 5), dt.date(2014, 6, 11), WEEK),
        ("Air raids on Raqqa intensified earlier this month.", dt.date(2014, 6, 1), None, MONTH),
        ("The army retook the hill last month.", dt.date(2014, 5, 1), dt.date(2014, 5, 31), MONTH),
        ("The army retook the hill in May.", dt.date(2014, 5, 1), dt.date(2014, 5, 31), MONTH),
        ("The army retook the hill in June.", dt.date(2014, 6, 1), dt.date(2014, 6, 30), MONTH),
    ],
)
def test_periods(sentence, start, end, precision):
    t = resolve_time(sentence, PUB)
    assert t.start == start and t.precision == precision
    if end is not None:
        assert t.end == end
    assert t.start <= t.date <= PUB
    assert not t.is_past_background


def test_in_month_of_this_or_last_year():
    assert resolve_time("Rebels lost the town in March.", dt.date(2015, 3, 29)).start == dt.date(2015, 3, 1)
    assert resolve_time("Rebels lost the town in March.", dt.date(2015, 11, 2)).start == dt.date(2015, 3, 1)
    # a month after the publication month is the previous year's
    t = resolve_time("Rebels lost the town in March.", dt.date(2015, 2, 10))
    assert t.start == dt.date(2014, 3, 1) and t.is_past_background


def test_month_part_is_month_precision():
    t = resolve_time("An arms depot near Masyaf was destroyed by Israeli strikes in early September.", dt.date(2024, 12, 2))
    assert t.precision == MONTH
    assert (t.start, t.end) == (dt.date(2024, 9, 1), dt.date(2024, 9, 10))
    assert t.is_past_background  # nearly three months before publication


def test_history():
    t = resolve_time("The jihadists took Raqqa last November after a short battle.", PUB)
    assert (t.start, t.precision, t.is_past_background) == (dt.date(2013, 11, 1), MONTH, True)
    h = resolve_time("Residents still recall the March 2013 fall of the city to the rebels.", PUB)
    assert (h.start, h.precision, h.text, h.is_past_background) == (dt.date(2013, 3, 1), MONTH, "March 2013", True)
    y = resolve_time("The brigade was founded in 2012 by army defectors.", PUB)
    assert (y.start, y.precision, y.is_past_background) == (dt.date(2012, 1, 1), YEAR, True)
    s = resolve_time("The fighting has killed more than 6,000 people since January.", PUB)
    assert (s.date, s.precision, s.is_past_background) == (dt.date(2014, 1, 1), MONTH, True)
    assert resolve_time("The group has held the dam since 2013.", PUB).is_past_background


def test_recent_month_is_not_background():
    t = resolve_time("The army retook the hill last month.", PUB)
    assert PUB - t.end < dt.timedelta(days=BACKGROUND_DAYS)
    assert not t.is_past_background


def test_event_time_wins_over_background_in_the_same_sentence():
    s = "On Tuesday jets hit the town that the rebels had seized in March 2013."
    t = resolve_time(s, PUB)
    assert (t.date, t.text) == (dt.date(2014, 6, 10), "On Tuesday")
    assert [x.text for x in find_times(s, PUB)] == ["On Tuesday", "in March 2013"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels captured the village after heavy fighting, the report said.",
        "The group imposed a 12-hour curfew on 1,200 residents.",
        "The militants killed 2,013 people, the monitor said.",
        "The protesters march through the square every evening.",
        "Officials may reconsider the ceasefire terms.",
    ],
)
def test_sentences_without_a_date(sentence):
    assert resolve_time(sentence, PUB) is None


def test_without_publication_date_only_absolute_dates_resolve():
    assert resolve_time("Jets struck the town on Wednesday.", None) is None
    assert resolve_time("The strike happened yesterday.", None) is None
    t = resolve_time("The town fell on 28 March 2015.", None)
    assert t is not None and t.date == dt.date(2015, 3, 28)
    assert not t.is_past_background  # nothing to compare with


@pytest.mark.parametrize(
    ("sentence", "expected", "text"),
    [
        # PUB is a Thursday: the event's own day wins over the day of the report
        ("The monitor said on Thursday that Wednesday's air strike on the market killed eleven people.", dt.date(2014, 6, 11), "Wednesday's"),
        ("Wednesday's car bomb in the town centre killed four people, police said on Thursday.", dt.date(2014, 6, 11), "Wednesday's"),
        ("Rescuers said on Thursday that jets hit the bakery on Tuesday.", dt.date(2014, 6, 10), "on Tuesday"),
        ("Yesterday's shelling of the camp killed two children, medics reported on Thursday.", dt.date(2014, 6, 11), "Yesterday"),
        # a dateline opening the text dates the report, not the event
        ("Thu 12 Jun 2014 Mortar rounds hit the school on Tuesday morning.", dt.date(2014, 6, 10), "on Tuesday"),
        # without another time the dateline is all there is
        ("Thu 12 Jun 2014 Mortar rounds hit the school.", dt.date(2014, 6, 12), "12 Jun 2014"),
    ],
)
def test_the_events_own_time_beats_the_reports(sentence, expected, text):
    t = resolve_time(sentence, PUB)
    assert t is not None and t.date == expected and t.text == text, t


@pytest.mark.parametrize(
    "sentence",
    [
        "Under the truce more than 2000 people left the besieged town by bus.",  # the thousands comma lost in scraping
        "Some 1500 fighters and their families boarded the green buses.",
        "Rescuers counted 2016 bodies in the mass graves outside the city.",
        "The monitor recorded a total of 2015 barrel bombs dropped on the province.",
    ],
)
def test_a_counted_four_digit_number_is_not_a_year(sentence):
    assert find_times(sentence, dt.date(2017, 4, 16)) == []


def test_a_year_with_a_preposition_stays_a_year_before_a_noun():
    (t,) = find_times("In 2014 people fled the city in their thousands.", dt.date(2017, 4, 16))
    assert t.date.year == 2014 and t.precision == TimePrecision.YEAR


def test_a_possessive_weekday_without_its_apostrophe_dates_the_event():
    # scraped text often drops the apostrophe: "Saturdays blast" is Saturday's blast, not the report's Sunday
    t = resolve_time("Medics said on Sunday they had recovered 40 bodies from the site of Saturdays blast.", dt.date(2017, 4, 16))
    assert t is not None and t.date == dt.date(2017, 4, 15)
    # "on Fridays" is every Friday: no date
    assert find_times("Demonstrators gather on Fridays outside the mosque.", dt.date(2017, 4, 16)) == []
