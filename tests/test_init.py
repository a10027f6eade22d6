"""`policykg init`: a new article folder that builds once its text is pasted."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from conftest import EXAMPLE, schema_fields
from policykg.cli import main
from policykg.facts.reading import read_yaml
from policykg.facts.template import slug
from policykg.resources import facts_schema

TITLE = "Khamenei on negotiations with US"
URL = "https://ecfr.eu/article/commentary_khamenei_on_negotiations_with_us_7042/"
# A commented example line: "# " before a YAML key or list item (explanations are sentences).
EXAMPLE_LINE = re.compile(r"^# ( *(?:[a-z0-9_-]+:(?: .*)?|- .*))$")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def init(folder: Path, *extra: str) -> Result:
    return run(
        "init", str(folder), "--url", URL, "--title", TITLE, "--published", "2016-06-07", *extra
    )


def build(folder: Path) -> Result:
    return run("build", str(folder), "-o", str(folder.parent / "out.ttl"))


def test_init_writes_a_template_and_a_placeholder(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "khamenei"
    result = init(folder)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["article.txt", "facts.yaml"]
    assert "Paste the text of the article here" in (folder / "article.txt").read_text()
    facts = (folder / "facts.yaml").read_text(encoding="utf-8")
    schema_line = facts.splitlines()[0]
    assert schema_line.startswith("# yaml-language-server: $schema=")
    schema = (folder / schema_line.split("=", 1)[1]).resolve()
    assert json.loads(schema.read_text(encoding="utf-8")) == facts_schema()
    assert f"id: {slug(TITLE)}\n" in facts and f'title: "{TITLE}"' in facts
    assert "publisher: ecfr-eu\n" in facts and 'published: "2016-06-07"' in facts
    assert f"policykg build {folder}" in result.stderr


def test_the_template_passes_the_schema(tmp_path: Path) -> None:
    assert (
        init(tmp_path / "new", "--publisher", "European Council on Foreign Relations").exit_code
        == 0
    )
    tree = read_yaml(tmp_path / "new" / "facts.yaml")
    assert list(Draft202012Validator(facts_schema()).iter_errors(tree)) == []
    assert tree["document"]["publisher"] == "european-council-on-foreign-relations"
    assert tree["actors"]["european-council-on-foreign-relations"]["source"] == URL


@pytest.mark.parametrize("title", ["1984", "True", "0x1F"])
def test_an_id_that_yaml_would_read_as_a_number_stays_text(tmp_path: Path, title: str) -> None:
    result = run(
        "init", str(tmp_path / "new"), "--url", URL, "--title", title, "--published", "2016-06-07"
    )
    assert result.exit_code == 0, result.output
    tree = read_yaml(tmp_path / "new" / "facts.yaml")
    assert tree["document"]["id"] == title.lower()
    assert list(Draft202012Validator(facts_schema()).iter_errors(tree)) == []


def test_the_template_shows_every_field_of_the_schema(tmp_path: Path) -> None:
    assert init(tmp_path / "new").exit_code == 0
    text = (tmp_path / "new" / "facts.yaml").read_text(encoding="utf-8")
    fields = schema_fields()
    missing = sorted(field for field in fields if not re.search(rf"\b{field}:", text))
    assert not missing, f"fields without an example in the template: {missing}"


def test_a_fresh_folder_does_not_build_before_the_text_is_pasted(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert init(folder).exit_code == 0
    result = build(folder)
    assert result.exit_code == 2
    assert "[headline]" in result.stderr and "not in the text" in result.stderr


def test_init_then_paste_the_text_and_fill_one_quote_builds(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert init(folder).exit_code == 0
    (folder / "article.txt").write_text(
        f"{TITLE}\n\nOn Friday, Iran's Supreme Leader Ayatollah Ali Khamenei made a speech.\n",
        encoding="utf-8",
    )
    facts = folder / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    # Uncomment the first example actor, as an analyst would, and keep its quote.
    actor = "#   khamenei:\n#     type: person\n#     name: Ali Khamenei\n"
    assert actor in text
    text = text.replace(actor, actor.replace("# ", ""), 1)
    text = text.replace(
        "#     quote: Iran's Supreme Leader Ayatollah Ali Khamenei",
        "    quote: Iran's Supreme Leader Ayatollah Ali Khamenei",
        1,
    )
    facts.write_text(text, encoding="utf-8")
    result = build(folder)
    assert result.exit_code == 0, result.output
    assert "1 document(s)" in result.stderr and "validated" in result.stderr


def test_every_commented_example_builds_with_the_example_article(tmp_path: Path) -> None:
    """Uncommented together, the template's examples are a valid description of the example."""
    folder = tmp_path / "new"
    assert init(folder).exit_code == 0
    shutil.copy(EXAMPLE / "article.txt", folder / "article.txt")
    facts = folder / "facts.yaml"
    lines = facts.read_text(encoding="utf-8").splitlines()
    body = lines.index("policykg: 1")
    uncommented = [
        match.group(1) if index > body and (match := EXAMPLE_LINE.match(line)) else line
        for index, line in enumerate(lines)
    ]
    assert sum(a != b for a, b in zip(lines, uncommented, strict=True)) > 60
    facts.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    result = build(folder)
    assert result.exit_code == 0, result.output
    tree = read_yaml(facts)
    for section in ("actors", "places", "posts", "tenures", "events", "statements", "stances"):
        assert tree[section], section


def test_init_never_overwrites(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "article.txt").write_text("my pasted text", encoding="utf-8")
    result = init(folder)
    assert result.exit_code == 2
    assert "article.txt already exists" in result.stderr and "never overwrites" in result.stderr
    assert (folder / "article.txt").read_text(encoding="utf-8") == "my pasted text"
    assert not (folder / "facts.yaml").exists()


def test_init_refuses_a_second_run(tmp_path: Path) -> None:
    assert init(tmp_path / "new").exit_code == 0
    before = (tmp_path / "new" / "facts.yaml").read_bytes()
    result = init(tmp_path / "new")
    assert result.exit_code == 2 and "facts.yaml already exists" in result.stderr
    assert (tmp_path / "new" / "facts.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--url", "ecfr.eu/article", "url 'ecfr.eu/article' is not an absolute http(s) URL"),
        ("--published", "June 2016", "published 'June 2016'"),
        ("--published", "2016-02-30", "February 2016 has 29 days"),
        ("--id", "Khamenei_2016", "id 'Khamenei_2016' is not an id"),
        ("--title", " ", "title ' '"),
    ],
)
def test_init_refuses_unusable_values(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    args = {"--url": URL, "--title": TITLE, "--published": "2016-06-07", option: value}
    result = run("init", str(tmp_path / "new"), *[part for pair in args.items() for part in pair])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Khamenei on negotiations with US", "khamenei-on-negotiations-with-us"),
        ("Iran’s “red lines” – again", "irans-red-lines-again"),
        ("Élysée & Berlin", "elysee-berlin"),
        ("x" * 40 + " " + "y" * 40, "x" * 40),
        ("خامنه‌ای", ""),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected
