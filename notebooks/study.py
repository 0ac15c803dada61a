"""Readers for the files that notebooks/run.sh writes to a study's data directory.

The notebooks import this module to read dockmine's outputs the same way:
parse trees (dockmine parse --format json), lint findings (dockmine lint
--format json), mined candidates (dockmine mine) and history versions
(dockmine corpus export --history --format jsonl).
"""

import gzip
import json
from pathlib import Path

# Script dialects whose commands the parser lists. Scripts in other dialects
# (PowerShell, cmd, other interpreters) have no commands.
COMMAND_DIALECTS = {"posix", "bash", "mksh", "exec"}


def require(path):
    """Return path as a Path, or raise FileNotFoundError naming the step that writes it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"missing {path}: run notebooks/run.sh DATA_DIR to produce it, "
            "and set DOCKMINE_DATA (or DATA_DIR in the first cell) to that directory"
        )
    return path


def read_jsonl(path):
    """Yield the JSON value of each line of a JSON Lines file, gzip-compressed when its name ends in .gz."""
    path = require(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def read_json(path):
    """Return the JSON value of a file."""
    with open(require(path), encoding="utf-8") as f:
        return json.load(f)


def corpus_path(name):
    """Return a file name as dockmine printed it, relative to the corpus root and without a leading ./"""
    return name[2:] if name.startswith("./") else name


def repo_of(name):
    """Return the owner/name repository of a corpus file, from its first folder named owner__name."""
    folder = corpus_path(name).split("/", 1)[0]
    owner, sep, repo = folder.partition("__")
    return f"{owner}/{repo}" if sep else folder


def effective(instruction):
    """Return the instruction that runs: the one an ONBUILD wraps, or the instruction itself."""
    return instruction.get("inner") or instruction


def instruction_scripts(instruction):
    """Yield the scripts of an instruction: its shell form and any heredoc bodies run as scripts."""
    inst = effective(instruction)
    if inst.get("script"):
        yield inst["script"]
    for heredoc in inst.get("heredocs") or []:
        if heredoc.get("script"):
            yield heredoc["script"]


def script_commands(script):
    """Return the commands of a script, or none for a script with a syntax error or in a dialect without commands."""
    if script.get("error") or script.get("dialect") not in COMMAND_DIALECTS:
        return []
    return script.get("commands") or []


def command_name(command):
    """Return a command as the rule packs name it: the name, then the subcommand when there is one."""
    sub = command.get("subcommand")
    return f"{command['name']} {sub}" if sub else command["name"]


def contains(node, line, column):
    """Report whether the 1-based line and column lie inside the node's start and end positions."""
    start, end = node["start"], node["end"]
    return (start["line"], start["col"]) <= (line, column) <= (end["line"], end["col"])
