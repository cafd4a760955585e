"""Which texts can reach a member or a chair, read from the code that sends them.

Method: every Python module on the bot's floors is parsed (ast). Each function (with its
nested functions and lambdas), each class body and each module-level constant is a unit;
a unit names the text keys it holds (string literals that are keys of the catalogue, and
f-strings such as f"complaints.category.{value}", matched as patterns) and the units it
refers to (by name in its module, through `from x import y` and `import x` aliases and
package re-exports, or, for `obj.method`, every method of that name).

The staff-only entry points are the ones the code itself restricts: handlers wrapped in
`action(Audience.X)` where X admits neither members, chairs nor newcomers (the wrapper
refuses everyone else before the handler runs), and the composers of delivery kinds in
`TO_STAFF`. Everything else that is not a staff-only entry point starts as reachable by a
member or chair when nothing in the code refers to it (an entry point: a handler
registered by PTB, a composer of another kind, module-level code), and every unit a
reachable unit refers to is reachable too, except a staff-only entry point.

A refusal's words (views/refusals.WORDS, a table keyed by the error class storage raises)
are reached through their class, not the table: the words of an error reach a member when
code a member reaches names that class (raises it, or a class based on it), as a text named
at the raise site used to.

The error is one way only: a text read by staff may be counted as a member's (a helper
shared by both, a staff branch inside a member's handler), never the other way round, so a
text a member can receive is never left out. Texts the simulator's frame shows, and the
command-line tool's, are outside the bot's floors and not scanned.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from content.texts import catalogue

ROOT = Path(__file__).resolve().parent.parent
FLOORS = (
    "bot",
    "content",
    "scheduler",
    "handlers",
    "language",
    "storage",
    "timekeeping",
    "views",
)
# Every folder whose code can name a text: the bot's floors, the simulator's page and the
# command line (tests/test_text_keys.py).
EVERY_FOLDER = (*FLOORS, "cli", "config", "simulator")
# A string that is shaped like a text key: "meetings.errors.date_past".
KEY_SHAPE = re.compile(r"[a-z_]+(?:\.[a-z0-9_]+)+")
# Strings shaped like a key that are not texts, by where they stand: an audit-log entry's
# action ("roster.import"), a column a foreign key points at ("meetings.id"), a prefix a key
# is tested against (error.key.startswith("confirm.count_")).
NOT_TEXT_KEYWORDS = frozenset({"action"})
NOT_TEXT_CALLS = frozenset({"ForeignKey", "startswith"})
# The table that words each refusal by its class (views/refusals.py).
WORDS_TABLE = "WORDS"


@dataclass
class Unit:
    module: str
    name: str  # "func", "Class", "Class.method" or a constant's name
    is_method: bool = False
    keys: set[str] = field(default_factory=set)
    patterns: set[str] = field(default_factory=set)
    unknown: set[str] = field(default_factory=set)  # shaped like a key of a namespace, absent
    refs: set[tuple[str | None, str]] = field(default_factory=set)  # (module, name); None: method
    decorators: list[ast.expr] = field(default_factory=list)
    seed: bool = False  # module-level code: runs without being referred to

    @property
    def id(self) -> str:
        return f"{self.module}:{self.name}"


@dataclass
class Module:
    name: str
    top: dict[str, str] = field(default_factory=dict)  # local name -> unit name
    imported: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias -> (module, name)
    modules: dict[str, str] = field(default_factory=dict)  # alias -> module


def _module_files(floors: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    for floor in floors:
        for path in sorted((ROOT / floor).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


class _Reader(ast.NodeVisitor):
    """Collects the keys and references of one unit's body."""

    def __init__(self, unit: Unit, module: Module, keys: frozenset[str]) -> None:
        self.unit = unit
        self.module = module
        self.all_keys = keys
        self.namespaces = {key.split(".")[0] for key in keys}
        self.not_text = 0  # inside an argument that is never a text key (NOT_TEXT_*)

    def visit_Constant(self, node: ast.Constant) -> None:
        if not isinstance(node.value, str):
            return
        if node.value in self.all_keys:
            self.unit.keys.add(node.value)
        elif (
            not self.not_text
            and KEY_SHAPE.fullmatch(node.value)
            and node.value.split(".")[0] in self.namespaces
        ):
            self.unit.unknown.add(node.value)

    def visit_keyword(self, node: ast.keyword) -> None:
        self._visit_quietly(node.value, node.arg in NOT_TEXT_KEYWORDS)

    def visit_Call(self, node: ast.Call) -> None:
        self.visit(node.func)
        quiet = _called(node) in NOT_TEXT_CALLS
        for argument in node.args:
            self._visit_quietly(argument, quiet)
        for keyword in node.keywords:
            self.visit(keyword)

    def _visit_quietly(self, node: ast.AST, quiet: bool) -> None:
        self.not_text += quiet
        self.visit(node)
        self.not_text -= quiet

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                parts.append(re.escape(value.value))
            else:
                parts.append(".+")
        pattern = "".join(parts)
        if "." in pattern.replace(".+", "").replace(r"\.", ".") and not pattern.startswith(".+"):
            self.unit.patterns.add(pattern)
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                self.visit(value)

    def visit_Name(self, node: ast.Name) -> None:
        self.unit.refs.add((self.module.name, node.id))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in self.module.modules:
            self.unit.refs.add((self.module.modules[node.value.id], node.attr))
            return
        self.unit.refs.add((None, node.attr))
        self.visit(node.value)


def _parse(
    keys: frozenset[str], floors: tuple[str, ...] = FLOORS
) -> tuple[dict[str, Module], dict[str, Unit]]:
    modules: dict[str, Module] = {}
    units: dict[str, Unit] = {}
    worded: list[tuple[str, ast.expr, str]] = []  # (module, the error class, its words' unit)
    for name, path in _module_files(floors):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = Module(name)
        modules[name] = module
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    local = alias.asname or alias.name
                    full = f"{node.module}.{alias.name}"
                    if _is_module(full):
                        module.modules[local] = full
                    else:
                        module.imported[local] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.modules[alias.asname] = alias.name
        seed = Unit(name, "<module>", seed=True)
        units[seed.id] = seed
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                unit = Unit(name, node.name, decorators=list(node.decorator_list))
                module.top[node.name] = node.name
                _read(unit, module, keys, node)
                units[unit.id] = unit
            elif isinstance(node, ast.ClassDef):
                body = Unit(name, node.name)
                module.top[node.name] = node.name
                for base in node.bases:  # a refusal's words may be its base's
                    _read(body, module, keys, base)
                for item in node.body:
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                        method = Unit(
                            name,
                            f"{node.name}.{item.name}",
                            is_method=True,
                            decorators=list(item.decorator_list),
                        )
                        _read(method, module, keys, item)
                        units[method.id] = method
                        body.refs.add((name, method.name))  # a class brings its methods
                    else:
                        _read(body, module, keys, item)
                units[body.id] = body
            elif (
                isinstance(node, ast.Assign | ast.AnnAssign)
                and _single_name(node) == WORDS_TABLE
                and isinstance(node.value, ast.Dict)
            ):
                module.top[WORDS_TABLE] = WORDS_TABLE
                units[f"{name}:{WORDS_TABLE}"] = Unit(name, WORDS_TABLE)
                for number, (kind, words) in enumerate(
                    zip(node.value.keys, node.value.values, strict=True)
                ):
                    entry = Unit(name, f"{WORDS_TABLE}[{number}]")
                    module.top[entry.name] = entry.name
                    _read(entry, module, keys, words)
                    units[entry.id] = entry
                    if kind is not None:
                        worded.append((name, kind, entry.name))
            elif isinstance(node, ast.Assign | ast.AnnAssign) and _single_name(node):
                const = Unit(name, _single_name(node) or "")
                module.top[const.name] = const.name
                _read(const, module, keys, node)
                units[const.id] = const
            elif not isinstance(node, ast.Import | ast.ImportFrom):
                _read(seed, module, keys, node)
    for name, kind, entry in worded:
        found = _class_of(modules, name, kind)
        if found is not None and found in units:
            units[found].refs.add((name, entry))
    return modules, units


def _class_of(modules: dict[str, Module], module: str, kind: ast.expr) -> str | None:
    """The unit of the class a key of the words' table names (`Stopped`, `joining.Stopped`)."""
    if isinstance(kind, ast.Name):
        return _resolve(modules, {}, module, kind.id)
    if isinstance(kind, ast.Attribute) and isinstance(kind.value, ast.Name):
        source = modules[module].modules.get(kind.value.id)
        if source is not None:
            return _resolve(modules, {}, source, kind.attr)
    return None


def _single_name(node: ast.Assign | ast.AnnAssign) -> str | None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if len(targets) == 1 and isinstance(targets[0], ast.Name):
        return targets[0].id
    return None


def _read(unit: Unit, module: Module, keys: frozenset[str], node: ast.AST) -> None:
    reader = _Reader(unit, module, keys)
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        for statement in node.body:
            reader.visit(statement)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                reader.visit(default)
    else:
        reader.visit(node)


def _resolve(
    modules: dict[str, Module], units: dict[str, Unit], module: str, name: str, depth: int = 0
) -> str | None:
    """The unit `name` means in `module`: defined there, or imported (re-exports followed)."""
    found = modules.get(module)
    if found is None or depth > 10:
        return None
    if name in found.top:
        return f"{module}:{found.top[name]}"
    if name in found.imported:
        source, original = found.imported[name]
        return _resolve(modules, units, source, original, depth + 1)
    return None


def _staff_audiences() -> set[str]:
    from handlers.base import Audience
    from storage.roles import Role

    readers = {Role.MEMBER, Role.CHAIR, Role.NEWCOMER}
    return {audience.name for audience in Audience if audience.roles.isdisjoint(readers)}


def _staff_composers() -> set[str]:
    """Units of the composers whose kinds go to staff only (the registry, as the bot has it)."""
    import scheduler.composers
    from scheduler.registry import COMPOSERS
    from storage.deliveries.delivery_kinds import TO_STAFF

    for info in pkgutil.iter_modules(scheduler.composers.__path__, "scheduler.composers."):
        importlib.import_module(info.name)
    return {f"{f.__module__}:{f.__qualname__}" for k, f in COMPOSERS.items() if k in TO_STAFF}


def _is_staff_action(unit: Unit, staff: set[str]) -> bool:
    for decorator in unit.decorators:
        if not (isinstance(decorator, ast.Call) and _called(decorator) == "action"):
            continue
        arguments = [*decorator.args, *(k.value for k in decorator.keywords if k.arg == "audience")]
        for argument in arguments:
            if isinstance(argument, ast.Attribute) and argument.attr in staff:
                return True
    return False


def _called(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


@cache
def member_units() -> tuple[dict[str, Unit], frozenset[str]]:
    """Every unit, and the ids of those a member or chair can reach."""
    keys = frozenset(catalogue("id"))
    modules, units = _parse(keys)
    staff_audiences = _staff_audiences()
    staff_roots = _staff_composers() | {
        unit.id for unit in units.values() if _is_staff_action(unit, staff_audiences)
    }
    methods: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.is_method:
            methods.setdefault(unit.name.rsplit(".", 1)[1], []).append(unit.id)
    edges: dict[str, set[str]] = {}
    referred: set[str] = set()
    for unit in units.values():
        targets: set[str] = set()
        for module, name in unit.refs:
            if module is None:
                targets.update(methods.get(name, []))
                continue
            resolved = _resolve(modules, units, module, name)
            if resolved is not None and resolved in units:
                targets.add(resolved)
        targets.discard(unit.id)
        edges[unit.id] = targets
        referred |= targets
    reachable = {
        unit.id
        for unit in units.values()
        if unit.id not in staff_roots and (unit.seed or unit.id not in referred)
    }
    todo = list(reachable)
    while todo:
        for target in edges[todo.pop()]:
            if target not in reachable and target not in staff_roots:
                reachable.add(target)
                todo.append(target)
    return units, frozenset(reachable)


def keys_of(unit: Unit, keys: frozenset[str]) -> set[str]:
    found = set(unit.keys)
    for pattern in unit.patterns:
        compiled = re.compile(pattern)
        found |= {key for key in keys if compiled.fullmatch(key)}
    return found


def member_texts() -> set[str]:
    """The text keys a member or a chair can receive (see the module's docstring)."""
    keys = frozenset(catalogue("id"))
    units, reachable = member_units()
    found: set[str] = set()
    for unit_id in reachable:
        found |= keys_of(units[unit_id], keys)
    return found


def where(key: str) -> list[str]:
    """The reachable units that hold `key`, to explain a failure."""
    keys = frozenset(catalogue("id"))
    units, reachable = member_units()
    return sorted(u for u in reachable if key in keys_of(units[u], keys))


@cache
def every_unit() -> dict[str, Unit]:
    """The units of every folder whose code can name a text (EVERY_FOLDER), reachable or not."""
    return _parse(frozenset(catalogue("id")), EVERY_FOLDER)[1]
