"""Apps reach each other through the imports import-linter's contracts allow (pyproject.toml)
and, where a lower app must set a higher one's work going, through dotted names in the
settings, loaded when they run. These tests hold the two together: each hooked name leads to
code and points the one way an import may not, and no code loads a name from anywhere else."""

import ast
import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import grimp
import pytest
from django.conf import settings
from django.utils.module_loading import import_string
from importlinter.api import read_configuration
from importlinter.contracts.forbidden import ForbiddenContract

from marketplace.queueing import registered_task

ROOT = Path(__file__).resolve().parent.parent
CONFIG = read_configuration(str(ROOT / "pyproject.toml"))
APPS = CONFIG["session_options"]["root_packages"]
CONTRACT_TYPES = {"forbidden": ForbiddenContract}  # the types pyproject.toml uses

# What loads code by a name held in a string, and how the name is resolved.
LOADERS = {
    "import_string": import_string,
    "queue_on_commit": registered_task,
    "registered_task": registered_task,
}


@dataclass(frozen=True)
class Hook:
    reader: str  # the module that loads the setting's names
    loader: str  # with which of LOADERS


HOOKS = {
    "SCORING_AFTER_RUN": Hook("scoring.pipeline.load", "queue_on_commit"),
    "PERSON_OPT_OUT_HOOKS": Hook("scoring.services.profiles", "import_string"),
    "HEALTH_REPORTS": Hook("marketplace.health", "import_string"),
}


@dataclass(frozen=True)
class Load:
    """A call in the code base that loads code by a name. The name is read from a setting or
    written in the call; neither: it comes from somewhere these tests cannot follow."""

    module: str
    loader: str
    setting: str | None = None
    written: str | None = None


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*APPS, include_external_packages=True, cache_dir=None)


def contracts_broken_by(graph: grimp.ImportGraph, *, importer: str, imported: str) -> set[str]:
    """The contracts kept now that an import `importer` → `imported` would break."""
    with_it = copy.deepcopy(graph)
    with_it.add_import(importer=importer, imported=imported)
    return broken_contracts(with_it) - broken_contracts(graph)


def broken_contracts(graph: grimp.ImportGraph) -> set[str]:
    broken = set()
    for options in CONFIG["contracts_options"]:
        contract = CONTRACT_TYPES[options["type"]](
            name=options["name"],
            session_options=CONFIG["session_options"],
            contract_options=options,
        )
        if not contract.check(copy.deepcopy(graph), verbose=False).kept:
            broken.add(contract.name)
    return broken


def app_of(module: str) -> str:
    return module.partition(".")[0]


def module_of(name: str) -> str:
    return name.rpartition(".")[0]


@pytest.mark.parametrize(
    ("importer", "imported", "allowed"),
    [
        ("campaigns.selectors.targeting", "scoring.selectors.targeting", True),
        ("campaigns.services.claims", "scoring.services.profiles", True),
        ("campaigns.models", "scoring.models", True),
        ("campaigns.selectors.targeting", "scoring.templatetags.scores", False),
        ("campaigns.views.brands", "scoring.views.people", False),
        ("campaigns.eligibility", "scoring.pipeline", False),
        ("campaigns.tasks", "scoring.tasks", False),
        ("campaigns.selectors.brands", "scoring.engine.versions", False),
    ],
)
def test_campaigns_uses_scoring_through_its_front_doors(graph, importer, imported, allowed):
    assert (not contracts_broken_by(graph, importer=importer, imported=imported)) is allowed


@pytest.mark.parametrize("setting", HOOKS)
def test_each_hooked_name_leads_to_code(setting):
    for name in getattr(settings, setting):
        assert callable(LOADERS[HOOKS[setting].loader](name)), name


@pytest.mark.parametrize("setting", HOOKS)
def test_a_hook_points_from_a_lower_app_up_to_one_that_imports_it(graph, setting):
    """The linter forbids the import the hook stands in for, and the app it points to imports
    the app that reads it: the hook goes up, against the way imports point."""
    reader = HOOKS[setting].reader
    for name in getattr(settings, setting):
        assert contracts_broken_by(graph, importer=reader, imported=module_of(name)), (
            f"{reader} may import {name}: an import says so plainly"
        )
        assert graph.direct_import_exists(
            importer=app_of(name), imported=app_of(reader), as_packages=True
        ), f"{name} is not of an app above {reader}'s"


def test_code_is_loaded_by_name_from_the_hooks_here_alone():
    loads = list(all_loads())

    assert [load for load in loads if load.setting is None and load.written is None] == []
    assert {(load.setting, load.module, load.loader) for load in loads if load.setting} == {
        (setting, hook.reader, hook.loader) for setting, hook in HOOKS.items()
    }


def test_a_name_written_in_the_code_leads_where_an_import_could(graph):
    written = [load for load in all_loads() if load.written]

    assert written  # the tasks queued by name
    for load in written:
        assert callable(LOADERS[load.loader](load.written)), load
        assert not contracts_broken_by(
            graph, importer=load.module, imported=module_of(load.written)
        ), load


def all_loads() -> Iterator[Load]:
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield from loads_in(module.removesuffix(".__init__"), ast.parse(path.read_text()))


def loads_in(module: str, tree: ast.Module) -> Iterator[Load]:
    for call, scope in _calls(tree, tree):
        loader = _loader_of(call)
        if loader is None or not (call.args or call.keywords):
            continue
        name = call.args[0] if call.args else call.keywords[0].value
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            yield Load(module, loader, written=name.value)
        elif setting := _setting_read(name) or _settings_bound(scope).get(_name(name)):
            yield Load(module, loader, setting=setting)
        elif _name(name) not in _parameters(scope):  # a parameter: its callers are checked
            yield Load(module, loader)


def _calls(node: ast.AST, scope: ast.AST) -> Iterator[tuple[ast.Call, ast.AST]]:
    """Every call under `node`, with the function (or module) it is made in."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Call):
            yield child, scope
        inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else scope
        yield from _calls(child, inner)


def _loader_of(call: ast.Call) -> str | None:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else _name(func)
    return name if name in LOADERS else None


def _setting_read(node: ast.expr) -> str | None:
    """X, where `node` reads settings.X."""
    if isinstance(node, ast.Attribute) and _name(node.value) == "settings":
        return node.attr
    return None


def _settings_bound(scope: ast.AST) -> dict[str, str]:
    """The names the scope binds to a setting (`for hook in settings.X`, `hook = settings.X`),
    with the setting."""
    bound = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.For) and (setting := _setting_read(node.iter)):
            bound[_name(node.target)] = setting
        elif isinstance(node, ast.Assign) and (setting := _setting_read(node.value)):
            bound.update({_name(target): setting for target in node.targets})
    bound.pop("", None)
    return bound


def _parameters(scope: ast.AST) -> set[str]:
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    arguments = scope.args
    return {arg.arg for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else ""
