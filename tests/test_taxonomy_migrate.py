"""Retiring taxonomy codes and moving documents to their replacements (``flask taxonomy migrate``).

A deployment runs with a vocabulary that has two extra codes; documents are coded with them. The vocabulary is
then edited to retire both (with replacements) and the app restarted on the same data. Until the migration,
search still filters and counts the retired codes, but they can no longer be given to documents. The migration
goes through the service layer: codes move, the change is audited, the index follows, and search finds the
documents under the replacement codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import NONE_IDENTIFIED
from conftest import World
from conftest import start_app
from conftest import stop_app
from conftest import upload

TAXONOMY = Path(__file__).resolve().parent.parent / "taxonomy.yaml"
OLD_THEME = "theme:old_hlp"
OLD_PLACE = "location:LY0319-oldsebha"


def variant(path: Path, *, retired: bool, replacement: str = "ds_hlp") -> Path:
    """The real taxonomy plus a theme and a municipality that are, or are not yet, retired."""
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    facets = {f["id"]: f for f in data["facets"]}
    theme = {
        "id": "old_hlp",
        "labels": {"en": "Housing rights (old code)", "ar": "حقوق السكن (رمز قديم)"},
        "aliases": ["zqoldhousing"],
    }
    place = {"id": "LY0319-oldsebha", "labels": {"en": "Old Sebha entry", "ar": "سبها القديمة"}, "parent": "LY0319"}
    if retired:
        theme.update(retired=True, replaced_by=replacement)
        place.update(retired=True, replaced_by="LY0319-sebha")
    facets["theme"]["codes"].append(theme)
    facets["location"]["codes"].append(place)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_app(data_dir: Path, taxonomy: Path, **config):
    return start_app(data_dir, TAXONOMY_PATH=str(taxonomy), **config)


def close(app, drop: bool = True) -> None:
    stop_app(app, drop)


def hits(client, headers=None, **params) -> set[int]:
    r = client.get("/api/v1/search", query_string={"per_page": 100, **params}, headers=headers or {})
    assert r.status_code == 200, r.get_data(as_text=True)
    return {h["id"] for h in r.json["hits"]}


@pytest.fixture
def migrated_world(tmp_path):
    """Documents coded under the old vocabulary, then the app restarted with the codes retired."""
    data = tmp_path / "data"
    before = make_app(data, variant(tmp_path / "before.yaml", retired=False))
    client = before.test_client()
    world = World(before)
    partner = world.account("partner@own.example.org", "partner", "OWN")
    coordinator = world.account("coord@pswg.example.org", "coordinator", "PSWG")
    ids = {}
    for key, codes in {
        "both_old": [OLD_THEME, OLD_PLACE, "doc_type:situation_report"],  # released: a document type too
        "old_and_new": [OLD_THEME, "theme:ds_hlp"],
        "untouched": ["theme:access", "location:LY0319-sebha"],
    }.items():
        r = upload(
            client,
            partner,
            data=f"Housing report {key} zqmigrate{key}zq.\n".encode(),
            filename=f"{key}.txt",
            codes=codes,
        )
        assert r.status_code == 201, r.json
        ids[key] = r.json["id"]
    r = client.post(
        f"/api/v1/documents/{ids['both_old']}/review",
        headers=coordinator.headers,
        json={"action": "release", "level": "public", "rationale": "Aggregated figures.", **NONE_IDENTIFIED},
    )
    assert r.status_code == 200, r.json
    close(before, drop=False)  # the same database, restarted with another vocabulary
    after = make_app(data, variant(tmp_path / "after.yaml", retired=True), DATABASE_URL=before.config["DATABASE_URL"])
    yield after, ids, partner, coordinator
    close(after)


def test_migrate_moves_documents_to_the_replacement_codes(migrated_world):
    app, ids, partner, coordinator = migrated_world
    client = app.test_client()
    runner = app.test_cli_runner()
    coord = coordinator.headers

    # before: the retired codes still filter and count, but can no longer be given to documents
    assert hits(client, coord, code=OLD_THEME) == {ids["both_old"], ids["old_and_new"]}
    assert hits(client, coord, code="theme:ds_hlp") == {ids["old_and_new"]}
    facets = client.get("/api/v1/search", headers=coord).json["facets"]
    assert facets["theme"][OLD_THEME] == 2
    r = client.patch(f"/api/v1/documents/{ids['untouched']}", headers=partner.headers, json={"codes": [OLD_THEME]})
    assert r.status_code == 422 and r.json["error"] == "unknown_code"
    # the retired code's names are no longer expanded in queries
    assert client.get("/api/v1/search", query_string={"q": "zqoldhousing"}).json["also_searched"] == []

    # dry run: counts, no change
    result = runner.invoke(args=["taxonomy", "migrate", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"{OLD_THEME} -> theme:ds_hlp: would move 2 documents" in result.output
    assert f"{OLD_PLACE} -> location:LY0319-sebha: would move 1 document" in result.output
    assert "(dry run): 2 retired codes, would move 3 code assignments" in result.output
    doc = client.get(f"/api/v1/documents/{ids['both_old']}", headers=coord).json
    assert doc["codes"]["theme"] == [OLD_THEME]
    assert hits(client, coord, code=OLD_THEME) == {ids["both_old"], ids["old_and_new"]}

    # the migration
    result = runner.invoke(args=["taxonomy", "migrate"])
    assert result.exit_code == 0, result.output
    assert f"{OLD_THEME} -> theme:ds_hlp: moved 2 documents" in result.output
    assert f"{OLD_PLACE} -> location:LY0319-sebha: moved 1 document" in result.output
    assert "moved 3 code assignments" in result.output

    codes = {key: client.get(f"/api/v1/documents/{i}", headers=coord).json["codes"] for key, i in ids.items()}
    assert codes["both_old"] == {"doc_type": ["doc_type:situation_report"], "location": ["location:LY0319-sebha"],
                                 "theme": ["theme:ds_hlp"]}
    assert codes["old_and_new"] == {"theme": ["theme:ds_hlp"]}  # no duplicate
    assert codes["untouched"] == {"location": ["location:LY0319-sebha"], "theme": ["theme:access"]}

    # search finds them under the replacement codes, and nothing under the retired ones
    assert hits(client, coord, code="theme:ds_hlp") == {ids["both_old"], ids["old_and_new"]}
    assert hits(client, coord, code="theme:durable_solutions") == {ids["both_old"], ids["old_and_new"]}
    assert hits(client, coord, code=OLD_THEME) == set()
    assert hits(client, coord, code="location:LY0319-sebha") == {ids["both_old"], ids["untouched"]}
    facets = client.get("/api/v1/search", headers=coord).json["facets"]
    assert OLD_THEME not in facets["theme"] and OLD_PLACE not in facets["location"]
    assert facets["theme"]["theme:ds_hlp"] == 2
    # anonymous callers see the released document under the new code, and only it
    assert hits(client, code="theme:ds_hlp") == {ids["both_old"]}

    # audited as updates by the system, naming the moves
    events = client.get("/api/v1/audit", query_string={"action": "update"}, headers=coord).json["events"]
    moved = {e["document_id"]: e for e in events if e["detail"].get("by") == "taxonomy migrate"}
    assert set(moved) == {ids["both_old"], ids["old_and_new"]}
    assert moved[ids["both_old"]]["actor"] == "system"
    assert moved[ids["both_old"]]["detail"]["migrated_codes"] == {
        OLD_THEME: "theme:ds_hlp",
        OLD_PLACE: "location:LY0319-sebha",
    }

    # a second run has nothing left to do
    result = runner.invoke(args=["taxonomy", "migrate"])
    assert result.exit_code == 0 and "moved 0 code assignments" in result.output


def test_only_the_system_may_migrate(migrated_world):
    app, _ids, _partner, coordinator = migrated_world
    from repository.services import Service
    from repository.services import ServiceError

    svc = Service(app.extensions["repo"], app.extensions["db_sessionmaker"]())
    with pytest.raises(ServiceError) as info:
        svc.maintenance.migrate_retired_codes(coordinator.actor)
    assert info.value.status == 403
    svc.session.close()


def test_check_refuses_a_replacement_that_is_missing_or_retired(tmp_path):
    from click.testing import CliRunner

    from repository.cli.taxonomy import taxonomy_cli

    runner = CliRunner()
    good = variant(tmp_path / "good.yaml", retired=True)
    result = runner.invoke(taxonomy_cli, ["check", "--path", str(good)])
    assert result.exit_code == 0, result.output
    missing = variant(tmp_path / "missing.yaml", retired=True, replacement="no_such_theme")
    result = runner.invoke(taxonomy_cli, ["check", "--path", str(missing)])
    assert result.exit_code == 1 and "replaced_by 'no_such_theme' does not exist" in result.output
    # replaced by a code that is itself retired
    text = variant(tmp_path / "chain.yaml", retired=True).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    theme = next(f for f in data["facets"] if f["id"] == "theme")
    theme["codes"].append(
        {
            "id": "older_hlp",
            "labels": {"en": "Older housing code", "ar": "رمز أقدم"},
            "retired": True,
            "replaced_by": "old_hlp",
        }
    )
    chain = tmp_path / "chain.yaml"
    chain.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(taxonomy_cli, ["check", "--path", str(chain)])
    assert result.exit_code == 1 and "is itself retired" in result.output
