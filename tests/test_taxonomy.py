"""The controlled vocabulary: the real taxonomy.yaml, the validator on broken files, and ``taxonomy check``."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from repository.cli.taxonomy import taxonomy_cli
from repository.knowledge.taxonomy import Taxonomy
from repository.knowledge.taxonomy import TaxonomyError
from repository.knowledge.taxonomy import check_taxonomy
from repository.knowledge.taxonomy import load_taxonomy
from repository.knowledge.taxonomy import normalise_term

REAL_FILE = Path(__file__).resolve().parent.parent / "taxonomy.yaml"

# Code ids the demo data and the acceptance checks rely on.
REQUIRED_IDS = """
doc_type:meeting_minutes doc_type:situation_report doc_type:assessment doc_type:protection_monitoring_report
doc_type:concept_note doc_type:training_report doc_type:dataset doc_type:analysis
sector:protection sector:gbv sector:child_protection sector:hlp sector:mine_action
theme:detention theme:durable_solutions theme:civil_documentation theme:gbv theme:mixed_migration theme:access
theme:freedom_of_movement theme:housing_land_property
population:idp population:returnees population:migrants population:migrants_in_detention population:refugees
population:asylum_seekers population:host_community
location:LY location:LY01 location:LY02 location:LY03 location:LY0101 location:LY0103 location:LY0211
location:LY0214 location:LY021401 location:LY0214-tawergha location:LY0319 location:LY0320 location:LY0107
location:IQ location:IQG09 location:IQG15 location:IQG15-sinjar location:IQG15-mosul location:IQG01
location:IQG08 location:IQG11
""".split()


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(REAL_FILE)


# --- the real file -------------------------------------------------------------------------------------------


def test_real_file_has_no_problems() -> None:
    assert check_taxonomy(REAL_FILE) == []


def test_required_ids_exist_and_are_usable(taxonomy: Taxonomy) -> None:
    missing = [code_id for code_id in REQUIRED_IDS if code_id not in taxonomy]
    assert missing == []
    assert taxonomy.unknown(REQUIRED_IDS) == []


def test_facets(taxonomy: Taxonomy) -> None:
    assert [f.id for f in taxonomy.facets] == ["doc_type", "sector", "theme", "population", "location"]
    hierarchical = {f.id for f in taxonomy.facets if f.hierarchical}
    assert hierarchical == {"sector", "theme", "location"}


def test_every_label_is_bilingual(taxonomy: Taxonomy) -> None:
    for facet in taxonomy.facets:
        assert facet.labels["en"] and facet.labels["ar"]
    for code in taxonomy.codes.values():
        assert code.labels["en"].strip(), code.id
        assert any("\u0600" <= ch <= "\u06ff" for ch in code.labels["ar"]), code.id
        assert code.label == code.labels["en"]


def test_reliefweb_formats_and_protection_types(taxonomy: Taxonomy) -> None:
    doc_types = {c.short_id for c in taxonomy.facet("doc_type").codes}
    assert {
        "analysis",
        "appeal",
        "assessment",
        "evaluation_lessons_learned",
        "infographic",
        "manual_guideline",
        "map",
        "news_press_release",
        "situation_report",
        "un_document",
        "other",
        "meeting_minutes",
        "protection_monitoring_report",
        "training_report",
        "concept_note",
        "presentation",
        "terms_of_reference",
        "advocacy_note",
        "dataset",
    } <= doc_types


def test_areas_of_responsibility_sit_under_protection(taxonomy: Taxonomy) -> None:
    for aor in ("gbv", "child_protection", "mine_action", "hlp"):
        assert taxonomy.get(f"sector:{aor}").parent == "sector:protection"
    assert taxonomy.descendants("sector:protection") == {
        "sector:protection",
        "sector:gbv",
        "sector:child_protection",
        "sector:mine_action",
        "sector:hlp",
    }


def test_durable_solutions_has_the_eight_iasc_criteria(taxonomy: Taxonomy) -> None:
    children = taxonomy.children("theme:durable_solutions")
    assert len(children) == 8
    assert "theme:ds_family_reunification" in children


def test_ancestors_and_descendants(taxonomy: Taxonomy) -> None:
    assert taxonomy.ancestors("location:LY0214-tawergha") == ["location:LY0214", "location:LY02", "location:LY"]
    assert taxonomy.ancestors("location:LY") == []
    assert taxonomy.ancestors("location:IQG15-sinjar") == ["location:IQG15", "location:IQ"]
    south = taxonomy.descendants("location:LY03")
    assert {"location:LY03", "location:LY0319", "location:LY0320", "location:LY032001"} <= south
    assert "location:LY0214" not in south
    assert taxonomy.descendants("doc_type:dataset") == {"doc_type:dataset"}
    with pytest.raises(KeyError):
        taxonomy.ancestors("location:LY9999")


def test_with_ancestors_and_group(taxonomy: Taxonomy) -> None:
    expanded = taxonomy.with_ancestors(["location:LY0214-tawergha", "theme:gbv"])
    assert expanded == {"location:LY0214-tawergha", "location:LY0214", "location:LY02", "location:LY", "theme:gbv"}
    grouped = taxonomy.group(["location:LY0319", "theme:gbv", "doc_type:dataset", "location:LY", "theme:gbv"])
    assert grouped == {
        "doc_type": ["doc_type:dataset"],
        "theme": ["theme:gbv"],
        "location": ["location:LY", "location:LY0319"],
    }
    assert taxonomy.group([]) == {}


def test_locations_never_carry_a_made_up_pcode(taxonomy: Taxonomy) -> None:
    assert taxonomy.get("location:LY0214-tawergha").pcode is None
    assert taxonomy.get("location:IQG15-mosul").pcode is None
    assert taxonomy.get("location:LY021401").pcode == "LY021401"
    for code in taxonomy.facet("location").codes:
        if "-" in code.short_id:
            assert code.pcode is None, code.id
        else:
            assert code.pcode == code.short_id, code.id
    mantikas = [c for c in taxonomy.facet("location").codes if c.short_id.startswith("LY") and len(c.short_id) == 6]
    assert len(mantikas) == 22
    governorates = [c for c in taxonomy.facet("location").codes if c.parent == "location:IQ"]
    assert len(governorates) == 18


def test_unknown_and_retired(taxonomy: Taxonomy) -> None:
    assert taxonomy.unknown(["theme:gbv", "theme:nope", "nope", "theme:nope"]) == ["theme:nope", "nope"]
    assert taxonomy.get("theme:nope") is None
    assert taxonomy.facet_of("population:idp") == "population"


def test_lookup_alias_folds_spelling(taxonomy: Taxonomy) -> None:
    assert taxonomy.lookup_alias("Tawargha") == ["location:LY0214-tawergha"]
    assert taxonomy.lookup_alias("تورغاء") == ["location:LY0214-tawergha"]
    assert taxonomy.lookup_alias("TAOURGHA") == ["location:LY0214-tawergha"]
    assert taxonomy.lookup_alias("Sabhā") == taxonomy.lookup_alias("sabha")
    assert "location:LY0319" in taxonomy.lookup_alias("sabha")
    # ة → ه and أ → ا
    assert "location:LY0214" in taxonomy.lookup_alias("مصراته")
    assert taxonomy.lookup_alias("الانبار") == ["location:IQG01"]
    assert taxonomy.lookup_alias("Shingal") == ["location:IQG15-sinjar"]
    assert taxonomy.lookup_alias("محضر") == ["doc_type:meeting_minutes"]
    assert set(taxonomy.lookup_alias("gbv")) == {"sector:gbv", "theme:gbv"}
    assert taxonomy.lookup_alias("no such place") == []


def test_normalise_term() -> None:
    assert normalise_term("  Al-Mawsil ") == "al mawsil"
    assert normalise_term("Hewlêr") == "hewler"
    assert normalise_term("إربيل") == normalise_term("اربيل")
    assert normalise_term("مُحَضَّر") == "محضر"
    assert normalise_term("مصـــراتة") == "مصراته"
    assert normalise_term("ذي قارى") == "ذي قاري"
    assert normalise_term("Ta'mim") == "tamim"


def test_to_api_shape(taxonomy: Taxonomy) -> None:
    api = taxonomy.to_api()
    json.dumps(api)  # JSON-ready
    assert set(api) == {"facets"}
    facet = api["facets"][0]
    assert {"id", "label", "labels", "hierarchical", "codes"} <= set(facet)
    assert facet["id"] == "doc_type" and facet["labels"]["ar"]
    codes = {c["id"]: c for f in api["facets"] for c in f["codes"]}
    assert len(codes) == len(taxonomy.codes)
    tawergha = codes["location:LY0214-tawergha"]
    assert {"id", "label", "labels", "aliases", "parent"} <= set(tawergha)
    assert tawergha["parent"] == "location:LY0214"
    assert tawergha["label"] == "Tawergha"
    assert set(tawergha["labels"]) >= {"en", "ar"}
    assert "Tawargha" in tawergha["aliases"]
    assert codes["location:LY"]["parent"] is None
    assert "GBV" in codes["theme:gbv"]["aliases"]
    api["facets"].clear()
    assert taxonomy.to_api()["facets"]  # a fresh structure each time


# --- broken files --------------------------------------------------------------------------------------------

GOOD = """\
version: 1
facets:
  - id: theme
    labels: {en: Theme, ar: الموضوع}
    hierarchical: true
    codes:
      - id: protection
        labels: {en: Protection, ar: الحماية}
      - id: detention
        labels: {en: Detention, ar: الاحتجاز}
        aliases: [arbitrary detention]
        parent: protection
  - id: doc_type
    labels: {en: Document type, ar: نوع الوثيقة}
    codes:
      - id: minutes
        labels: {en: Meeting minutes, ar: محضر اجتماع}
        aliases: [meeting notes, محضر]
"""


def write(tmp_path: Path, text: str, name: str = "taxonomy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    problems = check_taxonomy(path)
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    assert str(info.value) == "\n".join(problems)
    assert info.value.problems == problems
    for problem in problems:
        assert problem.startswith(str(path)), problem
        assert "\n" not in problem
    return problems


def test_minimal_file_loads(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write(tmp_path, GOOD))
    assert len(taxonomy) == 3
    assert taxonomy.get("theme:detention").parent == "theme:protection"
    assert taxonomy.lookup_alias("meeting notes") == ["doc_type:minutes"]
    assert taxonomy.facet("doc_type").hierarchical is False


def test_duplicate_code_id(tmp_path: Path) -> None:
    text = GOOD + "      - id: minutes\n        labels: {en: Minutes again, ar: محضر}\n"
    [problem] = problems_of(tmp_path, text)
    assert "code 'doc_type:minutes'" in problem
    assert "duplicate code id" in problem
    assert problem.startswith(f"{tmp_path / 'taxonomy.yaml'}:19:")
    assert "first at line 16" in problem


def test_duplicate_facet_id(tmp_path: Path) -> None:
    text = GOOD + "  - id: theme\n    labels: {en: Theme, ar: الموضوع}\n    codes:\n      - id: x\n"
    text += "        labels: {en: X, ar: س}\n"
    [problem] = problems_of(tmp_path, text)
    assert "facet 'theme'" in problem and "duplicate facet id" in problem


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    text = GOOD.replace("        parent: protection\n", "        parent: protection\n        parent: detention\n")
    [problem] = problems_of(tmp_path, text)
    assert "duplicate key 'parent'" in problem


def test_missing_parent(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("parent: protection", "parent: rights"))
    assert "code 'theme:detention'" in problem
    assert "parent 'rights' does not exist in facet 'theme'" in problem


def test_parent_in_non_hierarchical_facet(tmp_path: Path) -> None:
    text = GOOD + "      - id: notes\n        labels: {en: Notes, ar: ملاحظات}\n        parent: minutes\n"
    [problem] = problems_of(tmp_path, text)
    assert "code 'doc_type:notes'" in problem and "not hierarchical" in problem


def test_parent_cycle(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        labels: {en: Protection, ar: الحماية}\n",
        "        labels: {en: Protection, ar: الحماية}\n        parent: detention\n",
    )
    [problem] = problems_of(tmp_path, text)
    assert "cycle" in problem
    assert "protection -> detention -> protection" in problem or "detention -> protection -> detention" in problem


def test_missing_arabic_label(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("{en: Detention, ar: الاحتجاز}", "{en: Detention}"))
    assert "code 'theme:detention'" in problem
    assert "missing Arabic label 'ar'" in problem


def test_empty_english_label_and_missing_labels(tmp_path: Path) -> None:
    text = GOOD.replace("{en: Detention, ar: الاحتجاز}", "{en: '', ar: الاحتجاز}")
    text = text.replace("    labels: {en: Document type, ar: نوع الوثيقة}\n", "")
    problems = problems_of(tmp_path, text)
    assert any("code 'theme:detention'" in p and "missing English label 'en'" in p for p in problems)
    assert any("facet 'doc_type'" in p and "missing 'labels'" in p for p in problems)


def test_alias_clash(tmp_path: Path) -> None:
    text = GOOD.replace("aliases: [meeting notes, محضر]", "aliases: [meeting notes, Arbitrary-Detention]")
    [problem] = problems_of(tmp_path, text)
    assert "alias clash" in problem
    assert "theme:detention" in problem and "doc_type:minutes" in problem
    assert "shared_aliases" in problem


def test_arabic_alias_clash_after_normalisation(tmp_path: Path) -> None:
    text = GOOD.replace("aliases: [arbitrary detention]", "aliases: [مَحضَر]")
    [problem] = problems_of(tmp_path, text)
    assert "alias clash" in problem


def test_shared_alias_is_allowed_when_both_declare_it(tmp_path: Path) -> None:
    one_sided = GOOD.replace("aliases: [meeting notes, محضر]", "shared_aliases: [Arbitrary Detention]")
    [problem] = problems_of(tmp_path, one_sided)
    assert "alias clash" in problem
    both = one_sided.replace("aliases: [arbitrary detention]", "shared_aliases: [arbitrary detention]")
    assert both.count("shared_aliases:") == 2
    taxonomy = load_taxonomy(write(tmp_path, both))
    assert taxonomy.lookup_alias("arbitrary detention") == ["theme:detention", "doc_type:minutes"]
    assert taxonomy.get("doc_type:minutes").aliases == ("Arbitrary Detention",)
    assert taxonomy.get("doc_type:minutes").shared_aliases == ("Arbitrary Detention",)


def test_retired_without_replacement(tmp_path: Path) -> None:
    text = GOOD.replace("        aliases: [arbitrary detention]\n", "        retired: true\n")
    [problem] = problems_of(tmp_path, text)
    assert "code 'theme:detention'" in problem
    assert "retired but has no 'replaced_by'" in problem


def test_retired_with_bad_replacements(tmp_path: Path) -> None:
    missing = GOOD.replace(
        "        aliases: [arbitrary detention]\n", "        retired: true\n        replaced_by: gone\n"
    )
    [problem] = problems_of(tmp_path, missing)
    assert "replaced_by 'gone' does not exist" in problem
    not_retired = GOOD.replace("        aliases: [arbitrary detention]\n", "        replaced_by: protection\n")
    [problem] = problems_of(tmp_path, not_retired)
    assert "not retired" in problem


def test_retired_code_with_replacement(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        aliases: [arbitrary detention]\n", "        retired: true\n        replaced_by: protection\n"
    )
    taxonomy = load_taxonomy(write(tmp_path, text))
    code = taxonomy.get("theme:detention")
    assert code.retired and code.replaced_by == "theme:protection"
    assert taxonomy.unknown(["theme:detention", "theme:protection"]) == ["theme:detention"]
    assert taxonomy.current("theme:detention") == "theme:protection"
    assert "theme:detention" in taxonomy.descendants("theme:protection")


def test_bad_ids_and_unknown_keys(tmp_path: Path) -> None:
    text = GOOD.replace("id: doc_type", "id: Doc-Type").replace("id: detention", "id: de tention")
    text = text.replace("        parent: protection\n", "        parnet: protection\n")
    problems = problems_of(tmp_path, text)
    assert any("'Doc-Type' must match" in p for p in problems)
    assert any("'de tention' must match" in p for p in problems)


def test_unknown_key_is_reported(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("        parent: protection\n", "        parnet: protection\n"))
    assert "code 'theme:detention'" in problem and "unknown key 'parnet'" in problem


def test_all_problems_are_collected(tmp_path: Path) -> None:
    text = GOOD.replace("parent: protection", "parent: rights").replace("{en: Protection, ar: الحماية}", "{en: P}")
    problems = problems_of(tmp_path, text)
    assert len(problems) == 2


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = GOOD.replace("aliases: [arbitrary detention]", "aliases: [arbitrary detention")
    [problem] = problems_of(tmp_path, text)
    assert "YAML syntax error" in problem
    assert problem.startswith(f"{tmp_path / 'taxonomy.yaml'}:")
    line = int(problem[len(str(tmp_path / "taxonomy.yaml")) + 1 :].split(":", 1)[0])
    assert 11 <= line <= 13


def test_wrong_version_empty_and_missing_files(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, GOOD.replace("version: 1", "version: 2"))
    assert "unsupported version 2" in problem
    [problem] = problems_of(tmp_path, "# nothing here\n")
    assert "empty" in problem
    [problem] = problems_of(tmp_path, "- just\n- a list\n")
    assert "top level must be a mapping" in problem
    assert check_taxonomy(tmp_path / "absent.yaml") == [f"{tmp_path / 'absent.yaml'}: file not found"]


def test_yaml_tags_are_not_executed(tmp_path: Path) -> None:
    text = GOOD.replace("version: 1", "version: !!python/object/apply:os.system ['true']")
    [problem] = problems_of(tmp_path, text)
    assert "YAML" in problem


# --- taxonomy check ------------------------------------------------------------------------------------------


def make_app(taxonomy_path: Path) -> Flask:
    app = Flask(__name__)
    app.config["TAXONOMY_PATH"] = str(taxonomy_path)
    app.cli.add_command(taxonomy_cli)
    return app


def test_check_command_ok(tmp_path: Path) -> None:
    app = make_app(write(tmp_path, GOOD))
    result = app.test_cli_runner().invoke(args=["taxonomy", "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "taxonomy OK: 2 facets, 3 codes"


def test_check_command_real_file_in_app_context() -> None:
    app = make_app(REAL_FILE)
    with app.app_context():
        result = CliRunner().invoke(taxonomy_cli, ["check"])
    assert result.exit_code == 0, result.output
    taxonomy = load_taxonomy(REAL_FILE)
    assert result.stdout.strip() == f"taxonomy OK: {len(taxonomy.facets)} facets, {len(taxonomy.codes)} codes"


def test_check_command_broken_file(tmp_path: Path) -> None:
    broken = write(tmp_path, GOOD.replace("parent: protection", "parent: rights").replace(", ar: محضر اجتماع", ""))
    app = make_app(broken)
    result = app.test_cli_runner().invoke(args=["taxonomy", "check"])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert any("parent 'rights' does not exist" in line for line in lines)
    assert any("code 'doc_type:minutes'" in line and "Arabic" in line for line in lines)
    assert lines[-1].startswith("taxonomy check failed: 2 problems")


def test_check_command_path_option_without_app(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    broken = write(tmp_path, "version: 1\nfacets: [\n", "broken.yaml")
    result = CliRunner().invoke(taxonomy_cli, ["check", "--path", str(good)])
    assert result.exit_code == 0 and "taxonomy OK: 2 facets, 3 codes" in result.stdout
    result = CliRunner().invoke(taxonomy_cli, ["check", "--path", str(broken)])
    assert result.exit_code == 1
    assert "YAML syntax error" in result.stderr and "broken.yaml:" in result.stderr
