"""How `make test` spreads the suite over pytest-xdist workers: whole modules, or whole ``xdist_group``s.

xdist's own ``--dist loadgroup`` keeps a group on one worker but hands every other test out on its own,
so a module-scoped fixture (a discovery run, a Cartridge or Oscar store, a browser) would be built again
on each worker that gets one of its tests. Here a test without a group stays with its module, as in
``--dist loadscope``, and a group may span modules: a module whose ``pytestmark`` holds
``pytest.mark.xdist_group("demo_run")`` joins that group, so the session's demo campaign is run once,
on one worker, for the four modules that read it.

The group is read from the module's source here, in the controller, and not from the ``@group`` suffix
xdist's workers put on node ids: pytest-xdist 3.8 writes that suffix to ``item._nodeid``, which pytest 9
no longer reads (it keeps node ids in ``item._id``), so with pytest 9.2 no test carries it and
``--dist loadgroup`` groups nothing. A suffix, should a later xdist send one, is still honoured.
Only module-level marks are read: a whole module goes to one worker anyway.

Scopes are handed out heaviest first (``EXPECTED_SECONDS``, measured), so the long ones start at once
and the many short modules fill the gaps at the end, instead of a 70-second module starting last.
The figures only order the work: a stale one costs wall time, never a result.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from xdist.scheduler import LoadScopeScheduling

# Seconds each scope took in one serial run on a 2-core machine (setup + call + teardown), 2026-12-01.
EXPECTED_SECONDS: dict[str, float] = {
    "demo_run": 100,  # the session's demo campaign (~75 s) and the four modules that read it
    "tests/test_campaign_resume.py": 72,
    "tests/test_campaign_window_imap.py": 64,
    "tests/test_discover_cartridge.py": 58,
    "tests/test_discover_demo.py": 55,
    "tests/test_discover_oscar.py": 47,
    "tests/test_oscar_e2e.py": 43,
    "tests/test_worker.py": 38,
    "tests/test_pytest_plugin_e2e.py": 34,
    "tests/test_cli_run_exit.py": 33,
    "tests/test_discover_ajax.py": 31,
    "tests/test_cli_check.py": 21,
    "tests/test_campaign_imap.py": 18,
    "tests/test_shopper_steps_ajax.py": 17,
    "tests/test_shopper_runner.py": 15,
    "tests/test_oscar_store.py": 12,
    "tests/test_pytest_plugin.py": 11,
}


@cache
def module_group(module: Path) -> str | None:
    """The name in ``pytestmark = pytest.mark.xdist_group("NAME")`` (or in a list of marks), else None."""
    try:
        tree = ast.parse(module.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None  # the worker's collection reports the problem; here it only costs grouping
    for statement in tree.body:
        if not (
            isinstance(statement, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in statement.targets)
        ):
            continue
        for node in ast.walk(statement.value):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "xdist_group":
                names = [*node.args, *(k.value for k in node.keywords if k.arg == "name")]
                if names and isinstance(names[0], ast.Constant) and isinstance(names[0].value, str):
                    return names[0].value
    return None


class GroupOrModuleScheduling(LoadScopeScheduling):
    """``--dist loadgroup`` with modules, not single tests, as the unit for tests outside a group."""

    _ordered = False

    def _split_scope(self, nodeid: str) -> str:
        # Under --dist loadgroup a worker may name a grouped test "path::test[params]@group".
        if nodeid.rfind("@") > nodeid.rfind("]"):
            return nodeid.rsplit("@", 1)[1]
        module = nodeid.split("::", 1)[0]
        return module_group(self.config.rootpath / module) or module

    def _assign_work_unit(self, node) -> None:  # noqa: ANN001 - xdist's WorkerController
        if not self._ordered:  # the queue is complete by the first assignment; a stable sort keeps the rest's order
            heaviest_first = sorted(self.workqueue.items(), key=lambda scope: -EXPECTED_SECONDS.get(scope[0], 0))
            self.workqueue.clear()
            self.workqueue.update(heaviest_first)
            self._ordered = True
        super()._assign_work_unit(node)
