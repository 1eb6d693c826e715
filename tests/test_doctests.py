"""Every docstring example of the package runs: one test per module, over the whole ``dashboard`` package
(a module that cannot even be imported fails here too)."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dashboard

# __main__ runs the command line when imported: it is one line and has no examples
MODULES = sorted(info.name for info in pkgutil.walk_packages(dashboard.__path__, "dashboard.")
                 if info.name != "dashboard.__main__")


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of_the_module_run(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    for test in finder.find(module, name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_every_module_is_checked():
    assert {"dashboard.cli", "dashboard.core.timelimit", "dashboard.pipeline.analysis", "dashboard.wsgi"} <= set(MODULES)
