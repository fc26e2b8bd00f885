"""The coverage gate beyond pytest-cov's total, after Zulip's `enforce_fully_covered`: the
modules below must keep every line covered. The scoring engine is the score itself, a pure
function that its tests reach entirely without a database, so an uncovered line there is a
promise nobody checks.

It applies when pytest-cov applies its own total (`[tool.coverage.report] fail_under`), that
is in any run with `--cov` (`make test`); `--cov-fail-under=0` turns both off, for a report on
part of the suite. It reads the data pytest-cov has combined from every xdist worker, in the
process that combined it."""

import io

import pytest

FULLY_COVERED = ["scoring/engine/*"]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtestloop(session):
    result = yield
    cov = session.config.pluginmanager.getplugin("_cov")
    controller = getattr(cov, "cov_controller", None)
    if controller is None or not cov.options.cov_fail_under or session.config.option.collectonly:
        return result
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller checks
        return result
    report = io.StringIO()  # [tool.coverage.run] source counts files no test imported, at 0 %
    covered = controller.cov.report(
        include=FULLY_COVERED, show_missing=True, skip_covered=True, file=report
    )
    if covered < 100:
        terminal = session.config.pluginmanager.getplugin("terminalreporter")
        terminal.write(
            f"\nERROR: {', '.join(FULLY_COVERED)} must be covered entirely "
            f"(tests.coverage_gate); {covered:.2f} % of lines are:\n{report.getvalue()}",
            red=True,
            bold=True,
        )
        session.testsfailed += 1
    return result
