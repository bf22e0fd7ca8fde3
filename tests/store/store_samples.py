"""Sample articles, mentions and events for the store suite (text written for these tests)."""

from __future__ import annotations

from datetime import date

from sitrep.schema import (
    ActorRef,
    Article,
    Claim,
    Event,
    EventType,
    Evidence,
    GeoPrecision,
    Inter,
    Mention,
    Modality,
    OffsetMap,
    OffsetSegment,
    PlaceRef,
    SourceType,
    Span,
    SubEventType,
)

# --------------------------------------------------------------------------- fixtures (our own text)

SARAQEB_TITLE = "Warplanes hit vegetable market in Saraqeb"
SARAQEB_TEXT = (
    "At least 14 civilians were killed on Tuesday when warplanes struck a vegetable market in Saraqeb, "
    "in the eastern countryside of Idlib, the Syrian Observatory for Human Rights said. "
    "State news agency SANA said the army had hit positions of terrorist groups near the town "
    "and denied that any civilians were harmed."
)
DEIR_HAFER_TITLE = "Army takes Deir Hafer as Islamic State pulls back"
DEIR_HAFER_TEXT = (
    "Syrian army units backed by allied militias took full control of Deir Hafer east of Aleppo on Wednesday "
    "after Islamic State fighters withdrew towards the Euphrates, SANA reported. "
    "The Observatory said nine IS fighters and four soldiers were killed in clashes on the outskirts of the town."
)
SWEIDA_TITLE = "Crowds rally again in Sweida's main square"
SWEIDA_TEXT = (
    "Hundreds of people gathered on Friday in the central square of Sweida city for the sixth day running, "
    "chanting against the fuel price rises and calling for political change, local activists said."
)


def span_of(text: str, fragment: str) -> Span:
    start = text.index(fragment)
    return Span(start=start, end=start + len(fragment))


def _article(title: str, text: str, published: date, outlet: str, external_id: str | None) -> Article:
    raw = f"<h1>{title}</h1>\n<p>{text}</p>"
    body_at = raw.index(text)
    return Article(
        id=Article.make_id(title, text),
        external_id=external_id,
        url=f"https://news.example.org/{published.isoformat()}/{(external_id or 'x').lower()}",
        title=title,
        outlet=outlet,
        published=published,
        published_source="metadata",
        source_path=f"/data/in/{external_id or 'x'}.html",
        raw_text=raw,
        text=text,
        offsets=OffsetMap(segments=[OffsetSegment(clean_start=0, raw_start=body_at, length=len(text))]),
        boilerplate_removed=2,
    )


def make_articles() -> dict[str, Article]:
    return {
        "saraqeb": _article(SARAQEB_TITLE, SARAQEB_TEXT, date(2016, 10, 5), "Levant Ledger", "LL-2016-1005-03"),
        "deir_hafer": _article(DEIR_HAFER_TITLE, DEIR_HAFER_TEXT, date(2017, 2, 23), "Aleppo Dispatch", "AD-88412"),
        "sweida": _article(SWEIDA_TITLE, SWEIDA_TEXT, date(2023, 8, 26), "Jabal Voice", None),
    }


def make_mentions(a: dict[str, Article]) -> list[Mention]:
    sar, dh = a["saraqeb"], a["deir_hafer"]
    s1 = span_of(sar.text, SARAQEB_TEXT.split(". ")[0] + ".")
    s2 = span_of(dh.text, DEIR_HAFER_TEXT.split(", SANA")[0])
    s3 = span_of(dh.text, DEIR_HAFER_TEXT[DEIR_HAFER_TEXT.index("The Observatory") :])
    idlib = PlaceRef(
        name="Saraqab", place_id="gn:163345", surface="Saraqeb", admin1="Idleb", admin2="Idleb",
        latitude=35.8623, longitude=36.8006, feature="city",
    )
    aleppo = PlaceRef(
        name="Deir Hafer", place_id="gn:170592", surface="Deir Hafer", admin1="Aleppo", admin2="Al Bab",
        latitude=36.1567, longitude=37.7072, feature="town",
    )
    return [
        Mention(
            id=Mention.make_id(sar.id, s1, s1.start + 40),
            article_id=sar.id,
            sentence=sar.text[s1.start : s1.end],
            span=s1,
            trigger="struck",
            trigger_span=span_of(sar.text, "struck"),
            event_type=EventType.EXPLOSIONS,
            sub_event_type=SubEventType.AIR_DRONE_STRIKE,
            actor2=ActorRef(name="Civilians (Syria)", inter=Inter.CIVILIANS, surface="civilians"),
            place=idlib,
            places=[idlib],
            event_date=date(2016, 10, 4),
            date_text="Tuesday",
            fatalities=14,
            claims=[
                Claim(value=14, qualifier="at least", victims="civilians", text="At least 14 civilians",
                      claimant="Syrian Observatory for Human Rights", claimant_type=SourceType.MONITOR,
                      article_id=sar.id, span=span_of(sar.text, "At least 14 civilians"))
            ],
            attributed_to="Syrian Observatory for Human Rights",
            attribution_type=SourceType.MONITOR,
            confidence=0.8,
        ),
        Mention(
            id=Mention.make_id(dh.id, s2, s2.start + 52),
            article_id=dh.id,
            sentence=dh.text[s2.start : s2.end],
            span=s2,
            trigger="took full control",
            event_type=EventType.BATTLES,
            sub_event_type=SubEventType.GOVERNMENT_REGAINS_TERRITORY,
            actor1=ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="sy_army", inter=Inter.STATE_FORCES,
                            surface="Syrian army units"),
            actor2=ActorRef(name="Islamic State (Syria)", actor_id="isis", inter=Inter.REBEL_GROUPS,
                            surface="Islamic State fighters"),
            place=aleppo,
            event_date=date(2017, 2, 22),
            date_text="Wednesday",
            modality=Modality.CLAIMED,
            attributed_to="SANA",
            attribution_type=SourceType.STATE_MEDIA,
        ),
        Mention(
            id=Mention.make_id(dh.id, s3, s3.start + 4),
            article_id=dh.id,
            sentence=dh.text[s3.start : s3.end],
            span=s3,
            trigger="clashes",
            event_type=EventType.BATTLES,
            sub_event_type=SubEventType.ARMED_CLASH,
            place=aleppo,
            event_date=date(2017, 2, 22),
            fatalities=13,
        ),
    ]


def make_events(a: dict[str, Article]) -> list[Event]:
    sar, dh, sw = a["saraqeb"], a["deir_hafer"], a["sweida"]
    ms = make_mentions(a)
    return [
        Event(
            event_id="SYR-a1b2c3d4",
            event_date=date(2016, 10, 4),
            event_type=EventType.EXPLOSIONS,
            sub_event_type=SubEventType.AIR_DRONE_STRIKE,
            actor1="Military Forces of Syria (2000-2024)",
            inter1=1,
            actor2="Civilians (Syria)",
            inter2=7,
            interaction=17,
            admin1="Idleb",
            admin2="Idleb",
            location="Saraqab",
            latitude=35.8623,
            longitude=36.8006,
            geo_precision=GeoPrecision.PLACE,
            source="SOHR; SANA",
            source_scale="Other-National",
            notes="On 4 October 2016, warplanes struck a vegetable market in Saraqab (Idleb). 14 civilians killed (SOHR); SANA denied civilian harm.",
            fatalities=14,
            fatalities_low=0,
            fatalities_best=14,
            fatalities_high=14,
            figures_disputed=True,
            claims=[
                Claim(value=14, qualifier="at least", victims="civilians", text="At least 14 civilians",
                      claimant="Syrian Observatory for Human Rights", claimant_type=SourceType.MONITOR,
                      article_id=sar.id, span=span_of(sar.text, "At least 14 civilians")),
                Claim(kind="denial", value=0, victims="civilians", text="denied that any civilians were harmed",
                      claimant="SANA", claimant_type=SourceType.STATE_MEDIA, article_id=sar.id,
                      span=span_of(sar.text, "denied that any civilians were harmed"), modality=Modality.DENIED),
            ],
            evidence=[Evidence(article_id=sar.id, span=ms[0].span, text=ms[0].sentence, url=sar.url, outlet=sar.outlet)],
            article_ids=[sar.external_id or sar.id],
            source_urls=[sar.url or ""],
            mention_ids=[ms[0].id],
        ),
        Event(
            event_id="SYR-e5f6a7b8",
            event_date=date(2017, 2, 22),
            event_type=EventType.BATTLES,
            sub_event_type=SubEventType.GOVERNMENT_REGAINS_TERRITORY,
            actor1="Military Forces of Syria (2000-2024)",
            assoc_actor_1="NDF: National Defence Forces",
            inter1=1,
            actor2="Islamic State (Syria)",
            inter2=2,
            interaction=12,
            admin1="Aleppo",
            admin2="Al Bab",
            location="Deir Hafer",
            latitude=36.1567,
            longitude=37.7072,
            geo_precision=GeoPrecision.PLACE,
            source="SANA; SOHR",
            fatalities=13,
            fatalities_low=13,
            fatalities_best=13,
            fatalities_high=13,
            modality=Modality.CLAIMED,
            claims=[
                Claim(kind="control", text="took full control of Deir Hafer", claimant="SANA",
                      claimant_type=SourceType.STATE_MEDIA, article_id=dh.id,
                      span=span_of(dh.text, "took full control of Deir Hafer"), modality=Modality.CLAIMED),
                Claim(value=9, victims="fighters", text="nine IS fighters", claimant="Syrian Observatory for Human Rights",
                      claimant_type=SourceType.MONITOR, article_id=dh.id, span=span_of(dh.text, "nine IS fighters")),
                Claim(value=4, victims="troops", text="four soldiers", claimant="Syrian Observatory for Human Rights",
                      claimant_type=SourceType.MONITOR, article_id=dh.id, span=span_of(dh.text, "four soldiers")),
            ],
            evidence=[
                Evidence(article_id=dh.id, span=ms[1].span, text=ms[1].sentence, url=dh.url, outlet=dh.outlet),
                Evidence(article_id=dh.id, span=ms[2].span, text=ms[2].sentence, url=dh.url, outlet=dh.outlet),
            ],
            article_ids=[dh.external_id or dh.id],
            source_urls=[dh.url or ""],
            mention_ids=[ms[1].id, ms[2].id],
            mentions=2,
        ),
        Event(
            event_id="SYR-0c0ffee0",
            event_date=date(2023, 8, 25),
            event_type=EventType.PROTESTS,
            sub_event_type=SubEventType.PEACEFUL_PROTEST,
            actor1="Protesters (Syria)",
            inter1=6,
            interaction=60,
            admin1="As-Sweida",
            location="As-Sweida",
            fatalities=0,
            evidence=[Evidence(article_id=sw.id, span=span_of(sw.text, "Hundreds of people gathered"),
                               text="Hundreds of people gathered")],
            article_ids=[sw.id],
        ),
    ]


def put_samples(store, articles: dict[str, Article]) -> list[Event]:
    """Store the three articles, their mentions and the three events; returns the events."""
    with store.transaction():
        for art in articles.values():
            store.add_article(art)
        store.add_mentions(make_mentions(articles))
    events = make_events(articles)
    store.upsert_events(events)
    return events


def strip(e: Event) -> dict:
    return e.model_dump(exclude={"created_at", "updated_at"})
