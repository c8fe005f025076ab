"""The layout's rules, checked on the source: no import cycle between the project's
modules, and no migration that runs application code (docs/architecture.md)."""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("giftapp", "registry")
# Classes that Django's migration writer names in a model's state (as it names a custom
# field): their SQL is part of the schema, and they are never edited, only added to.
SCHEMA_CLASSES = {"giftapp.models.OneOf"}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    return {
        module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def imported_names(name, path):
    """Every module name an import statement of the module names, at any depth (an
    import inside a function is a dependency too), relative ones made absolute."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph():
    modules = project_modules()
    return {
        name: {target for target in imported_names(name, path) if target in modules} - {name}
        for name, path in modules.items()
    }


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


class ImportCycleTests(SimpleTestCase):
    def test_no_module_imports_itself_through_others(self):
        graph = {
            # A package's __init__ that imports its own modules is not a cycle of theirs.
            name: {t for t in targets if not name or not t.startswith(name + ".")}
            for name, targets in import_graph().items()
        }
        self.assertEqual(cycles(graph), [])

    def test_the_cycle_finder_finds_a_cycle(self):
        graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
        self.assertEqual(cycles(graph), [["a", "b", "c"]])


# What each room of giftapp may import from the others (docs/architecture.md). The rooms
# not named here (apps, urls, management commands, the demo loader) wire the others
# together and may import any of them.
ROOMS_ALLOWED = {
    "codes": set(),
    "text": set(),
    "money": set(),
    "backends": set(),
    "models": {"codes", "text"},
    "cache": {"backends"},
    "templatetags": {"codes", "models", "money"},
    "sentences": {"codes", "models", "templatetags", "text"},
    "counts": {"backends", "models"},
    "charts": set(),
    "filters": {"codes", "counts", "models", "templatetags", "text"},
    "exports": {"backends", "models"},
    "importers": {"backends", "cache", "codes", "counts", "exports", "models", "money", "text"},
    "queries": {"charts", "codes", "counts", "filters", "models", "money", "sentences", "text"},
    "feeds": {"models", "queries", "sentences", "templatetags"},
    "views": {"exports", "filters", "models", "queries", "sentences"},
    "editorial": {"importers", "models", "templatetags", "text"},
    "api": {"cache", "codes", "counts", "exports", "filters", "models", "queries", "text", "views"},
}


def room(module):
    """giftapp.queries.gifts -> 'queries'; registry.settings -> 'registry'."""
    parts = module.split(".")
    return parts[0] if parts[0] != "giftapp" else (parts[1] if len(parts) > 1 else "giftapp")


class LayoutTests(SimpleTestCase):
    def test_each_room_imports_only_the_rooms_it_may(self):
        crossings = set()
        for module, targets in import_graph().items():
            allowed = ROOMS_ALLOWED.get(room(module))
            if allowed is None:
                continue
            for target in targets:
                if room(target) not in allowed | {room(module)}:
                    crossings.add(f"{module} imports {target}")
        self.assertEqual(sorted(crossings), [])

    def test_every_room_has_rules(self):
        rooms = {room(module) for module in project_modules() if module.startswith("giftapp.")}
        wiring = {"apps", "urls", "management", "demo", "context_processors"}
        self.assertEqual(rooms - set(ROOMS_ALLOWED) - wiring, set())


VIEW_LINES = 40  # a view parses, calls a query and renders; more means work in the wrong room


class ThinViewTests(SimpleTestCase):
    def test_no_view_is_longer_than_a_screenful(self):
        long = []
        for path in sorted((ROOT / "giftapp" / "views").glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.FunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > VIEW_LINES:
                        long.append(f"{path.name}: {node.name} ({lines} lines)")
        self.assertEqual(long, [])


def application_references(tree):
    """What a migration takes from the project's own code: imports, and dotted names under
    giftapp.models that are not schema classes."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").split(".")[0] in PACKAGES:
                yield f"from {'.' * node.level}{node.module or ''} import …"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES and alias.name != "giftapp.models":
                    yield f"import {alias.name}"
        elif isinstance(node, ast.Attribute):
            name = ast.unparse(node)
            if name.startswith("giftapp.models.") and name not in SCHEMA_CLASSES:
                yield name


class FrozenMigrationTests(SimpleTestCase):
    def test_no_migration_imports_application_code(self):
        offenders = [
            f"{path.name}: {reference}"
            for path in sorted((ROOT / "giftapp" / "migrations").glob("0*.py"))
            for reference in application_references(ast.parse(path.read_text(), str(path)))
        ]
        self.assertEqual(offenders, [])

    def test_an_import_of_app_code_is_caught(self):
        tree = ast.parse("from giftapp.facets import TRIGGER_SQL\nx = giftapp.models.fold")
        self.assertEqual(
            list(application_references(tree)),
            ["from giftapp.facets import …", "giftapp.models.fold"],
        )


class DefinedOnceTests(SimpleTestCase):
    def test_an_import_entry_carries_every_field_a_register_gives(self):
        from dataclasses import fields

        from giftapp.importers.base import Entry
        from giftapp.models import Gift

        self.assertLessEqual(set(Gift.ENTRY_FIELDS), {f.name for f in fields(Entry)})

    def test_import_limits_are_the_columns_limits(self):
        from giftapp.importers import rules
        from giftapp.models import Gift, Leader

        self.assertEqual(rules.ITEM_LENGTH, Gift._meta.get_field("item").max_length)
        self.assertEqual(rules.NAME_LENGTH, Leader._meta.get_field("name").max_length)
