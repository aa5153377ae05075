"""Load a playbook from YAML, reporting every problem as FILE:LINE: KEY: MESSAGE."""

import difflib
import hashlib
import json
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from revteam.errors import BadInput
from revteam.playbook.schema import Playbook

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a playbook, where it is and what is wrong."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.key}: {self.message}"


class PlaybookInvalid(BadInput):
    """The playbook cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems, key=lambda problem: (problem.file, problem.line, problem.key))
        super().__init__("\n".join(str(problem) for problem in self.problems))
        first = self.problems[0]
        self.where = f"{first.file}:{first.line}"


def key_path(loc: Loc) -> str:
    """A pydantic location as a dotted key: ('routing', 'rules', 2, 'target') -> routing.rules[2].target."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top)"


# libyaml's parser where PyYAML was built with it: the same nodes and marks, a tenth of the time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, source: str) -> Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        raise _syntax_problem(error, source) from None
    except yaml.YAMLError as error:
        raise PlaybookInvalid([Problem(source, 1, "(yaml)", str(error))]) from None


def _syntax_problem(error: yaml.MarkedYAMLError, source: str) -> PlaybookInvalid:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    message = "; ".join(part for part in (error.context, error.problem) if part)
    return PlaybookInvalid([Problem(source, line, "(yaml)", message or "not valid YAML")])


def _duplicate_keys(node: Node, loc: Loc, source: str) -> list[Problem]:
    """PyYAML lets a repeated key silently win; a playbook must not."""
    problems: list[Problem] = []
    if isinstance(node, MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name in seen:
                problems.append(Problem(source, key.start_mark.line + 1, key_path(loc + (name,)),
                                        "key appears twice; remove one"))
            if name is not None:
                seen.add(name)
                problems += _duplicate_keys(value, loc + (name,), source)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, loc + (index,), source)
    return problems


def _line_of(root: Node, loc: Loc) -> int:
    """The line of the deepest YAML node the location reaches (a missing key: its parent's line)."""
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode) and isinstance(part, str):
            found = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == part), None)
            if found is None:
                break
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds (through list/dict/optional), and whether a dict key comes first."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = get_origin(annotation)
    if origin in (list, tuple, Union, types.UnionType):
        for arg in get_args(annotation):
            model, keyed = _inner_model(arg)
            if model is not None:
                return model, keyed
    if origin is dict:
        model, _ = _inner_model(get_args(annotation)[1])
        return model, model is not None
    return None, False


def _allowed_keys(loc: Loc) -> list[str]:
    """The keys the schema allows at the mapping a location points into."""
    model: type[BaseModel] | None = Playbook
    skip_key = False
    for part in loc:
        if isinstance(part, int) or skip_key or model is None:
            skip_key = False
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model, skip_key = _inner_model(field.annotation)
    return list(model.model_fields) if model else []


def _message(error: dict[str, Any]) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "extra_forbidden":
        guess = difflib.get_close_matches(str(loc[-1]), _allowed_keys(loc[:-1]), n=1)
        return "unknown key" + (f" (did you mean {guess[0]!r}?)" if guess else "")
    if kind == "missing":
        return "required key is missing"
    message = error["msg"].removeprefix("Value error, ")
    value = error.get("input")
    if kind not in ("duplicate", "unknown_fact") and isinstance(value, str | int | float | bool):
        message += f" (got {value!r})"
    return message


def _validation_problems(error: ValidationError, root: Node, source: str) -> list[Problem]:
    problems = []
    for detail in error.errors():
        loc = tuple(part for part in detail["loc"] if isinstance(part, int | str) and part != "[key]")
        problems.append(Problem(source, _line_of(root, loc), key_path(loc), _message(detail)))
    return problems


def load_playbook_text(text: str, *, source: str) -> Playbook:
    """Parse and validate playbook YAML; raise PlaybookInvalid listing every problem."""
    root = _compose(text, source)
    if not isinstance(root, MappingNode):
        line = root.start_mark.line + 1 if root else 1
        raise PlaybookInvalid([Problem(source, line, "(top)", "a playbook is a mapping of sections (name:, icp:, ...)")])
    problems = _duplicate_keys(root, (), source)
    loader = yaml.SafeLoader("")
    try:
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise _syntax_problem(error, source) from None
    finally:
        loader.dispose()
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as error:
        problems += _validation_problems(error, root, source)
    if problems:
        raise PlaybookInvalid(problems)
    return playbook


def read_playbook_text(path: str | Path) -> str:
    """The text of the playbook file at `path`; BadInput naming the file when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot read playbook: {error.strerror or error}", where=str(path)) from None
    except UnicodeDecodeError:
        raise BadInput("playbook is not UTF-8 text", where=str(path)) from None


def load_playbook_file(path: str | Path) -> Playbook:
    """Load and validate the playbook file at `path`."""
    return load_playbook_text(read_playbook_text(path), source=str(path))


def default_playbook_path() -> Path:
    """Where the shipped default playbook lives."""
    return Path(__file__).with_name("default_playbook.yaml")


def load_default_playbook() -> Playbook:
    """The shipped default playbook for a B2B SaaS company."""
    return load_playbook_file(default_playbook_path())


def canonical_json(playbook: Playbook) -> str:
    """The playbook as JSON with sorted keys and no spacing: same meaning, same text."""
    return json.dumps(playbook.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def playbook_version(playbook: Playbook) -> str:
    """The version recorded beside every score, routing decision and metric (sha256 hex)."""
    return hashlib.sha256(canonical_json(playbook).encode("utf-8")).hexdigest()


def playbook_hash(text: str, *, source: str = "<playbook>") -> str:
    """Version of playbook YAML text.

    Hashes the validated model, not the bytes, so editing comments, indentation or key order
    never makes a new version, while any change of meaning does.
    """
    return playbook_version(load_playbook_text(text, source=source))
