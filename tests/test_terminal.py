"""Terminal niceties: shell completion, and colours on a terminal only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINIMAL
from policykg.cli import main

ANSI = "\x1b["
SCRIPT = Path(sys.executable).parent / "policykg"  # the console script pip installed


def _environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    return {**env, **extra}


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _policykg_completion policykg"),
        ("zsh", "#compdef policykg"),
        ("fish", "complete --no-files --command policykg"),
    ],
)
def test_the_completion_script_is_produced(shell: str, marker: str) -> None:
    completed = subprocess.run(
        [str(SCRIPT)],
        env=_environment(_POLICYKG_COMPLETE=f"{shell}_source"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert marker in completed.stdout


def test_completion_offers_the_commands_and_options() -> None:
    def complete(words: str) -> str:
        env = _environment(
            _POLICYKG_COMPLETE="bash_complete",
            COMP_WORDS=words,
            COMP_CWORD=str(len(words.split(" ")) - 1),
        )
        completed = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True)
        return completed.stdout

    commands = complete("policykg ")
    for name in ("build", "validate", "docs", "schema", "init"):
        assert f"plain,{name}\n" in commands
    assert "plain,--published\n" in complete("policykg init new --")


@pytest.fixture(scope="module")
def built_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("graph") / "minimal.ttl"
    result = CliRunner().invoke(main, ["build", str(MINIMAL), "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


def test_no_colours_when_the_output_is_not_a_terminal(built_graph: Path) -> None:
    failed = CliRunner().invoke(main, ["validate", "no-such-file.ttl"])
    conforms = CliRunner().invoke(main, ["validate", str(built_graph)])
    assert failed.stderr.startswith("error: ") and conforms.stdout.startswith("conforms")
    assert ANSI not in failed.output + conforms.output


def test_colours_on_a_terminal(built_graph: Path) -> None:
    """CliRunner's color=True is what click does when standard output is a terminal."""
    failed = CliRunner().invoke(main, ["validate", "no-such-file.ttl"], color=True)
    conforms = CliRunner().invoke(main, ["validate", str(built_graph)], color=True)
    assert failed.stderr.startswith("\x1b[31m\x1b[1merror:\x1b[0m no-such-file.ttl")
    assert conforms.stdout.startswith("\x1b[32mconforms")


def test_no_colour_is_honoured(built_graph: Path) -> None:
    runner = CliRunner(env={"NO_COLOR": "1"})
    failed = runner.invoke(main, ["validate", "no-such-file.ttl"], color=True)
    assert failed.exit_code == 2 and ANSI not in failed.output


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_real_terminal_gets_colours_and_a_pipe_does_not() -> None:
    import pty

    command = [str(SCRIPT), "validate", "no-such-file.ttl"]
    piped = subprocess.run(command, env=_environment(), capture_output=True, text=True)
    assert piped.returncode == 2 and piped.stderr.startswith("error: ")
    assert ANSI not in piped.stderr

    leader, follower = pty.openpty()
    with subprocess.Popen(command, env=_environment(), stdout=follower, stderr=follower) as process:
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command has exited
                break
            if not chunk:
                break
            output += chunk
    os.close(leader)
    assert process.returncode == 2
    assert output.decode().startswith("\x1b[31m\x1b[1merror:\x1b[0m no-such-file.ttl")


def test_validate_escapes_control_characters_from_the_data(tmp_path: Path) -> None:
    """A value shown in a violation cannot retitle or recolour the terminal that shows it."""
    built = tmp_path / "minimal.nq"
    assert CliRunner().invoke(main, ["build", str(MINIMAL), "-o", str(built)]).exit_code == 0
    hostile = re.sub(
        r'(textSha256> )"[0-9a-f]{64}"',
        lambda match: match[1] + r'"bad\u001B]0;owned\u0007"',
        built.read_text(encoding="utf-8"),
    )
    graph = tmp_path / "hostile.nq"
    graph.write_text(hostile, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(graph)], color=True)
    assert result.exit_code == 1
    assert "\x1b]0;owned" not in result.output and "\x07" not in result.output
    assert "(value: bad\\u001b]0;owned\\u0007)" in result.output
