"""`sitrep actors`: listing, searching and showing the actor knowledge base."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sitrep.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_list_all_actors_and_one_theatre() -> None:
    result = invoke("actors")
    assert result.exit_code == 0
    assert "nusra-hts" in result.output and "sudan-rsf" in result.output
    sudan = invoke("actors", "--theatre", "Sudan")
    assert sudan.exit_code == 0
    assert "sudan-rsf" in sudan.output and "nusra-hts" not in sudan.output


def test_search_reports_the_name_on_a_date() -> None:
    result = invoke("actors", "Nusra", "--on", "2015-03-28")
    assert result.exit_code == 0
    assert "resolves to Jabhat al-Nusra" in result.output
    assert "nusra-hts" in result.output
    later = invoke("actors", "Nusra", "--on", "2019-01-01")
    assert "resolves to Hayat Tahrir al-Sham" in later.output


def test_search_by_word_start_and_no_match() -> None:
    result = invoke("actors", "kurd")
    assert result.exit_code == 0 and "ypg" in result.output and "sdf" in result.output
    none = invoke("actors", "zzqx")
    assert none.exit_code == 1


def test_show_prints_names_over_time_aliases_and_coalitions() -> None:
    result = invoke("actors", "show", "nusra-hts")
    assert result.exit_code == 0
    out = result.output
    for text in ("Jabhat al-Nusra", "Jabhat Fateh al-Sham", "Hayat Tahrir al-Sham", "2016-07-28", "2017-01-28"):
        assert text in out
    assert "Aliases" in out and "JFS" in out
    assert "Member of" in out and "jaish-al-fatah" in out


def test_show_coalition_members_on_a_date() -> None:
    result = invoke("actors", "show", "jaish-al-fatah", "--on", "2016-08-06")
    assert result.exit_code == 0
    assert "Coalition members on 2016-08-06" in result.output
    assert "Jabhat Fateh al-Sham" in result.output  # the member named as on that day
    assert "jund-al-aqsa" not in result.output  # had left in October 2015


def test_show_unknown_id_suggests_and_fails() -> None:
    result = runner.invoke(app, ["actors", "show", "nusra"])
    assert result.exit_code == 1
    assert "nusra-hts" in result.output


def test_bad_kb_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text("conflict: x\ncountry: X\nactors:\n  - id: a\n    name: A\n", encoding="utf-8")
    result = runner.invoke(app, ["actors", "--kb", str(bad)])
    assert result.exit_code == 2
    assert str(bad) in result.output and "inter" in result.output
