"""``sitrep eval``: the FA-KES and gold scorers on data written here, the bundled gold files, the CLI."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.evaluate import fakes, gold
from sitrep.evaluate.report import EvalReport
from sitrep.examples import examples_dir
from sitrep.examples.expectations import load_expectations
from sitrep.schema import Claim, Event, EventType, Modality, Span, SubEventType

SHARED = Path(__file__).resolve().parents[2] / "shared"
FAKES_DEV = SHARED / "eval" / "fakes_dev.csv"
GOLD_DIR = examples_dir() / "gold"

COLUMNS = [
    "unit_id", "article_title", "article_content", "source", "date", "location", "actor", "cause_of_death",
    "nb_children", "nb_civilians", "nb_noncivilians", "nb_women", "label",
]

# Written for these tests (FA-KES style: a dateline, no commas).
ARTICLES = [
    {
        "unit_id": "1",
        "article_title": "Regime air strikes kill 12 civilians in Idlib town",
        "article_content": (
            "Tue 14 Mar 2017 Regime air strikes kill 12 civilians in Idlib town. "
            "Syrian government warplanes struck a market in the town of Saraqeb in Idlib province on Tuesday "
            "killing 12 civilians including four children the Syrian Observatory for Human Rights said. "
            "Rescue workers said the toll could rise as dozens were wounded."
        ),
        "source": "reuters", "date": "3/14/17", "location": "idlib",
        "actor": "syrian government or russian troops", "cause_of_death": "shelling",
        "nb_children": "4", "nb_civilians": "12", "nb_noncivilians": "0", "nb_women": "0", "label": "1",
    },
    {
        "unit_id": "2",
        "article_title": "Car bomb kills eight in Azaz",
        "article_content": (
            "Sat 07 Jan 2017 Car bomb kills eight in Azaz. "
            "A car bomb exploded outside a courthouse in the town of Azaz in Aleppo province on Saturday "
            "killing eight people including two women local officials said. "
            "No group immediately claimed responsibility for the blast."
        ),
        "source": "ahram", "date": "1/7/17", "location": "aleppo",
        "actor": "unknown", "cause_of_death": "explosion",
        "nb_children": "0", "nb_civilians": "8", "nb_noncivilians": "0", "nb_women": "2", "label": "1",
    },
]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    return path


def _event(**kw) -> Event:
    base = dict(event_id="e", event_type=EventType.EXPLOSIONS, sub_event_type=SubEventType.AIR_DRONE_STRIKE, modality=Modality.ASSERTED)
    base.update(kw)
    return Event(**base)


# --------------------------------------------------------------------------- FA-KES pieces


def test_main_event_is_the_first_violent_real_event_with_a_toll():
    history = _event(event_id="h", modality=Modality.HISTORICAL, fatalities=200)
    plan = _event(event_id="p", event_type=EventType.STRATEGIC, sub_event_type=SubEventType.AGREEMENT, mentions=5)
    threat = _event(event_id="x", modality=Modality.THREATENED, fatalities=50)
    untolled = _event(event_id="u")
    main = _event(event_id="m", sub_event_type=SubEventType.SHELLING, fatalities=9)
    later = _event(event_id="l", fatalities=30, mentions=4)
    assert fakes.main_event([history, plan, threat, untolled, main, later]).event_id == "m"
    assert fakes.main_event([plan, untolled]).event_id == "u"
    assert fakes.main_event([plan]).event_id == "p"
    assert fakes.main_event([]) is None


def test_headline_deaths_is_the_first_exact_figure():
    claims = [
        Claim(value=12, qualifier="dozens", victims="people", span=Span(start=0, end=10, field="title")),
        Claim(value=58, victims="people", span=Span(start=40, end=50), claimant="the Observatory"),
        Claim(value=11, victims="children", qualifier="including", span=Span(start=52, end=60)),
        Claim(value=70, victims="people", span=Span(start=90, end=99), claimant="the health ministry"),
        Claim(value=6000, victims="people", qualifier="cumulative", span=Span(start=20, end=30)),
    ]
    ev = _event(fatalities=58, claims=claims)
    assert fakes.headline_deaths(ev) == 58
    assert fakes.deaths(ev) == (58, 11, 0, 0)
    vague_only = _event(fatalities=12, claims=claims[:1])
    assert fakes.headline_deaths(vague_only) == 12


@pytest.mark.parametrize(
    ("actor_id", "category"),
    [
        ("syria-state-forces", fakes.GOV),
        ("russia-forces", fakes.GOV),
        ("hezbollah", fakes.GOV),
        ("islamic-state", fakes.ISIS),
        ("nusra-hts", fakes.NUSRA),
        ("us-forces", fakes.COALITION),
        ("anti-is-coalition", fakes.COALITION),
        ("ahrar-al-sham", fakes.OPPOSITION),
        ("sdf", fakes.KURDISH),
        ("ypg", fakes.KURDISH),
        ("generic-unidentified", fakes.UNKNOWN),
        (None, fakes.UNKNOWN),
    ],
)
def test_actor_categories_follow_the_knowledge_base_sides(actor_id, category):
    assert fakes.actor_category(actor_id) == category


def test_cause_of_death_is_mapped_from_the_sub_event_type():
    assert fakes.cause_of_death(_event(), {}) == "shelling"
    assert fakes.cause_of_death(_event(sub_event_type=SubEventType.SUICIDE_BOMB), {}) == "explosion"
    assert fakes.cause_of_death(_event(sub_event_type=SubEventType.CHEMICAL_WEAPON), {}) == "chemical and toxic gases"
    agreement = _event(event_type=EventType.STRATEGIC, sub_event_type=SubEventType.AGREEMENT)
    assert fakes.cause_of_death(agreement, {}) == "unknown"
    assert fakes.cause_of_death(None, {}) == "unknown"


def _mention(mid: str, sentence: str, trigger: str, sub: SubEventType = SubEventType.ARMED_CLASH):
    from sitrep.schema import SUB_EVENT_PARENT, Mention

    return Mention(
        id=mid, article_id="a", sentence=sentence, span=Span(start=0, end=len(sentence)), trigger=trigger,
        event_type=SUB_EVENT_PARENT[sub], sub_event_type=sub, modality=Modality.ASSERTED,
    )


def test_battles_and_attacks_are_shooting_only_when_the_text_says_people_were_shot():
    battle = _mention("m1", "Twenty rebels were killed in clashes with government forces near the town on Monday.", "clashes")
    shot = _mention("m2", "Snipers shot dead four fighters during the clashes in the old city on Monday.", "clashes")
    downed = _mention("m3", "Rebels shot down a helicopter during the fighting near the town on Monday.", "fighting")
    clash = _event(event_type=EventType.BATTLES, sub_event_type=SubEventType.ARMED_CLASH, mention_ids=["m1"])
    assert fakes.cause_of_death(clash, {"m1": battle}) == "unknown"
    clash_shot = clash.model_copy(update={"mention_ids": ["m1", "m2"]})
    assert fakes.cause_of_death(clash_shot, {"m1": battle, "m2": shot}) == "shooting"
    clash_downed = clash.model_copy(update={"mention_ids": ["m3"]})
    assert fakes.cause_of_death(clash_downed, {"m3": downed}) == "unknown"
    executed = _mention("m4", "The militants executed six men in the village square on Friday.", "executed", SubEventType.ATTACK)
    attack = _event(event_type=EventType.VIOLENCE_AGAINST_CIVILIANS, sub_event_type=SubEventType.ATTACK, mention_ids=["m4"])
    assert fakes.cause_of_death(attack, {"m4": executed}) == "execution"
    protest = _event(event_type=EventType.PROTESTS, sub_event_type=SubEventType.EXCESSIVE_FORCE)
    assert fakes.cause_of_death(protest, {}) == "shooting"


def test_cause_of_death_of_strategic_events_is_unknown():
    agreement = _event(event_type=EventType.STRATEGIC, sub_event_type=SubEventType.AGREEMENT)
    assert fakes.cause_of_death(agreement, {}) == "unknown"
    assert fakes.cause_of_death(None, {}) == "unknown"


def test_deaths_split_civilians_and_fighters_of_one_claimant():
    # "20 people were killed: 14 civilians, among them 5 children, and 6 soldiers, SOHR said"
    claims = [
        Claim(value=20, victims="people", claimant="SOHR"),
        Claim(value=14, victims="civilians", claimant="SOHR"),
        Claim(value=5, victims="children", qualifier="including", claimant="SOHR"),
        Claim(value=6, victims="troops", claimant="SOHR"),
        Claim(value=30, victims="people", claimant="the group"),
    ]
    ev = _event(fatalities=20, claims=claims)
    assert fakes.deaths(ev) == (14, 5, 0, 6)


def test_within_ten_percent():
    assert fakes.within(10, 10) and fakes.within(11, 10) and not fakes.within(12, 10)
    assert fakes.within(0, 0) and not fakes.within(1, 0)


def test_fakes_evaluate_on_written_articles(tmp_path):
    data = _write_csv(tmp_path / "mini.csv", ARTICLES)
    report = fakes.evaluate(data)
    assert isinstance(report, EvalReport) and report.n_items == 2 and report.format == "fakes"
    assert report.counts["with_event"] == 2
    assert report.score("governorate").value == 1.0
    assert report.score("cause_of_death").value == 1.0
    assert report.score("total_deaths_exact").value == 1.0
    assert report.score("children_exact").value == 1.0
    first = report.details[0]
    assert first["predicted"]["actor"] == fakes.GOV and first["main_event"]["fatalities"] == 12
    assert report.score("governorate").target == 0.92
    # --limit scores only the first rows
    assert fakes.evaluate(data, limit=1).n_items == 1


def test_fakes_rejects_a_csv_without_its_columns(tmp_path):
    from sitrep.errors import InputError

    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a FA-KES file"):
        fakes.evaluate(bad)


@pytest.mark.skipif(not FAKES_DEV.is_file(), reason="../shared/eval is not present")
def test_fakes_dev_first_rows_report_structure():
    report = fakes.evaluate(FAKES_DEV, limit=20)
    assert report.n_items == 20 and len(report.details) == 20
    names = {s.name for s in report.scores}
    assert {"governorate", "actor_category", "cause_of_death", "total_deaths_exact", "civilians_within10", "noncivilians_exact"} <= names
    for s in report.scores:
        assert s.n == 20 and s.value is not None and 0 <= s.value <= 1
    assert {"gold", "predicted", "main_event", "wrong"} <= set(report.details[0])


# --------------------------------------------------------------------------- gold


def test_bundled_gold_files_agree_with_expected_yaml():
    """The gold files carry expected.yaml's events (plus statements): they must not drift apart."""
    converted = {g.key: g for g in gold.from_expectations(load_expectations())}
    bundled = {g.key: g for _, g in gold.load_gold(GOLD_DIR)}
    assert set(bundled) == set(converted)
    for key, g in bundled.items():
        assert g.must == converted[key].must, key
        assert g.published == converted[key].published
        listed = [x.model_dump(exclude={"statement"}) for x in g.must_not]
        assert all(f.model_dump(exclude={"statement"}) in listed for f in converted[key].must_not), key
        assert all(f.statement for f in g.must_not), key


def test_gold_evaluate_on_the_bundled_examples():
    report = gold.evaluate(GOLD_DIR)
    assert report.format == "gold" and report.n_items == len(list(GOLD_DIR.glob("*.json")))
    recall = report.score("recall")
    assert recall.n == sum(len(a.must) for a in load_expectations().articles.values())
    # test_examples_expected holds the pipeline to every must-event; here the scorer must agree
    assert recall.value >= 0.9 and report.score("type_recall").value == 1.0
    missed = [m for d in report.details for m in d["must"] if not m["ok"]]
    assert len(missed) == recall.n - recall.hits
    assert report.score("precision").value is not None and report.score("precision").value <= 1.0
    assert report.counts["must_not"] == report.score("must_not_respected").n


def test_gold_counts_a_statement_turned_into_an_event_against_precision(tmp_path):
    article = tmp_path / "report.txt"
    article.write_text(
        "Rebels shell government-held Hama district\n\n"
        "Published: March 12, 2016\n\n"
        "Rebel fighters shelled the government-held Bab Qibli district of Hama on Saturday, killing five civilians, "
        "state television said.\n\n"
        "The jihadists have threatened to storm the city of Salamiyah if the army does not withdraw.\n",
        encoding="utf-8",
    )
    spec = {
        "article": "report.txt",
        "published": "2016-03-12",
        "complete": True,
        "must": [
            {"sub_event_type": "Shelling/artillery/missile attack", "admin1": "Hama", "location": "Hama",
             "event_date": "2016-03-12", "fatalities_min": 5, "fatalities_max": 5}
        ],
        "must_not": [
            {"statement": "threatened to storm the city of Salamiyah", "event_type": "Battles", "location": "Salamiyah", "note": "threat"}
        ],
    }
    (tmp_path / "report.json").write_text(json.dumps(spec), encoding="utf-8")
    report = gold.evaluate(tmp_path / "report.json")
    detail = report.details[0]
    assert report.score("must_not_respected").value == 1.0, detail
    assert report.score("recall").value == 1.0, detail
    assert report.score("precision").value == 1.0 / (1 + report.counts["false_events"])
    # the same statement listed as a must-event instead is missed, and the shelling is then unlisted
    spec["must"], spec["must_not"] = [
        {"sub_event_type": "Armed clash", "admin1": "Hama", "location": "Salamiyah", "event_date": "2016-03-12"}
    ], []
    (tmp_path / "report.json").write_text(json.dumps(spec), encoding="utf-8")
    worse = gold.evaluate(tmp_path / "report.json")
    assert worse.score("recall").value == 0.0 and worse.score("precision").value == 0.0
    assert worse.details[0]["unlisted_events"]


def test_gold_file_errors_name_the_file(tmp_path):
    from sitrep.errors import InputError

    bad = tmp_path / "broken.json"
    bad.write_text('{"article": "x.txt", "must": [{"sub_event_type": "Nonsense"}]}', encoding="utf-8")
    with pytest.raises(InputError, match="broken.json"):
        gold.load_gold(bad)
    with pytest.raises(InputError, match="no gold files"):
        gold.load_gold(_empty(tmp_path))


def _empty(tmp_path: Path) -> Path:
    d = tmp_path / "none"
    d.mkdir()
    return d


# --------------------------------------------------------------------------- CLI


def test_cli_eval_fakes_prints_scores_and_writes_the_report(tmp_path):
    data = _write_csv(tmp_path / "mini.csv", ARTICLES)
    out = tmp_path / "out" / "report.json"
    result = CliRunner().invoke(app, ["eval", str(data), "--format", "fakes", "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert "governorate" in result.output and "0.92" in result.output
    report = EvalReport.model_validate_json(out.read_text(encoding="utf-8"))
    assert report.n_items == 2 and report.score("cause_of_death").hits == 2


def test_cli_eval_gold_on_the_bundled_examples(tmp_path):
    result = CliRunner().invoke(app, ["eval", str(GOLD_DIR), "--format", "gold", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "recall" in result.output and "must_not_respected" in result.output


def test_cli_eval_errors_are_one_line_with_a_non_zero_exit(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(app, ["eval", str(tmp_path / "nope.csv"), "--format", "fakes"])
    assert missing.exit_code == 2 and "no such file" in missing.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    bad = runner.invoke(app, ["eval", str(wrong), "--format", "fakes"])
    assert bad.exit_code == 2 and "not a FA-KES file" in bad.output
    unknown = runner.invoke(app, ["eval", str(wrong), "--format", "acled"])
    assert unknown.exit_code != 0


def test_a_vague_headline_toll_takes_the_bodys_exact_figure():
    head = _event(
        event_id="h", admin1="Aleppo", fatalities=12,
        claims=[Claim(value=12, qualifier="dozens", victims="civilians", span=Span(start=0, end=20, field="title"))],
        evidence=[],
    )
    body = _event(
        event_id="b", admin1="Aleppo", fatalities=45,
        claims=[Claim(value=45, qualifier="at least", victims="civilians", span=Span(start=300, end=320))],
    )
    elsewhere = _event(event_id="x", admin1="Idleb", fatalities=60, claims=[Claim(value=60, span=Span(start=200, end=210))])
    smaller = _event(event_id="s", admin1="Aleppo", fatalities=3, claims=[Claim(value=3, span=Span(start=250, end=260))])
    assert fakes.toll_source(head, [head, elsewhere, smaller, body]).event_id == "b"
    # a different kind of event is not the same dead
    clash = body.model_copy(update={"event_type": EventType.BATTLES, "sub_event_type": SubEventType.ARMED_CLASH})
    assert fakes.toll_source(head, [head, clash]).event_id == "h"
    # an exact headline figure is kept
    exact = head.model_copy(update={"claims": [Claim(value=20, span=Span(start=0, end=20, field="title"))]})
    assert fakes.toll_source(exact, [exact, body]).event_id == "h"


def test_figures_coordinated_in_one_phrase_add_up_to_the_headline_toll():
    def claim(value, victims, start, end):
        return Claim(value=value, victims=victims, span=Span(start=start, end=end))

    # "Four soldiers and two civilians were killed ..., and 6 people were wounded later"
    ev = _event(fatalities=6, claims=[claim(4, "troops", 0, 13), claim(2, "civilians", 18, 43), claim(9, "people", 120, 130)])
    assert fakes.headline_deaths(ev) == 6
    assert fakes.deaths(ev) == (2, 0, 0, 4)
    # children named beside civilians may be among them: not added
    ev = _event(fatalities=16, claims=[claim(16, "civilians", 0, 21), claim(3, "children", 26, 57)])
    assert fakes.headline_deaths(ev) == 16
    # figures far apart are separate statements
    ev = _event(fatalities=4, claims=[claim(4, "troops", 0, 13), claim(2, "civilians", 80, 100)])
    assert fakes.headline_deaths(ev) == 4


def test_killing_people_held_captive_is_an_execution():
    held = _mention("m1", "The militants killed four of the hostages they had abducted from the village last week.", "killed", SubEventType.ATTACK)
    attack = _event(event_type=EventType.VIOLENCE_AGAINST_CIVILIANS, sub_event_type=SubEventType.ATTACK, mention_ids=["m1"])
    assert fakes.cause_of_death(attack, {"m1": held}) == "execution"
    free = _mention("m2", "The militants killed four villagers in an attack on the farm last week.", "killed", SubEventType.ATTACK)
    assert fakes.cause_of_death(attack.model_copy(update={"mention_ids": ["m2"]}), {"m2": free}) == "unknown"
