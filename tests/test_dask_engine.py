"""The Dask engine (--engine dask): the same report as the local engine with one or two workers, with a
worker killed mid-run, and from the claims store; without dask installed it says how to install it."""
from __future__ import annotations

import logging
import os
import shutil
import sys

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

from checker import api, checks  # noqa: E402
from checker.config import Config  # noqa: E402
from checker.executors import dask as dask_engine  # noqa: E402
from checker.report import render  # noqa: E402

CLUSTERS = ["flag-death-toll-revision", "flag-name-three-spellings", "flag-passengers-230-vs-232",
            "flag-quarter-revenue-mismatch", "noflag-agreements-different-summits"]

needs_dask = pytest.mark.skipif(not dask_engine.available(), reason="dask is not installed (pip install '.[dask]')")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask") / "archive"
    for name in CLUSTERS:
        shutil.copytree(FIXTURES / "clusters" / name / "docs", root / name)
    shutil.copytree(ROOT / "seeds", root / "seeds", ignore=shutil.ignore_patterns("*.json"))
    shutil.copytree(FIXTURES / "draft", root / "draft")
    return root


def _local_cluster(workers: int, processes: bool, **client_options):
    """A local Dask cluster and its client for a test module; closed after it."""
    if not dask_engine.available():
        pytest.skip("dask is not installed")
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=":0",
                           silence_logs=logging.ERROR)
    client = Client(cluster, **client_options)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture(scope="module")
def two_workers():
    """One cluster of two worker processes for the module (a worker can be killed and come back)."""
    for client in _local_cluster(2, processes=True):
        yield client
        dask_engine.shutdown()


@pytest.fixture(scope="module")
def one_worker():
    yield from _local_cluster(1, processes=False, set_as_default=False)


def _config() -> Config:
    return Config(cache=False, jobs=2)


def _report(paths, engine: str, draft: str | None = None) -> str:
    config = _config()
    rules = [r for r in checks.load_rules(config.rule_packs) if config.rule_enabled(r.code)]
    if draft:
        run = api.collect_draft([draft], paths, config, engine=engine)
    else:
        run = api.collect(paths, config, engine=engine)
    return render(api.evaluate_engine(run, rules, config, engine), "json", rules=rules)


@needs_dask
@pytest.mark.parametrize("workers", [1, 2])
def test_dask_report_is_identical_to_local(corpus, workers, one_worker, two_workers):
    dask_engine.configure(client=one_worker if workers == 1 else two_workers)
    paths = [str(corpus)]
    assert _report(paths, "dask") == _report(paths, "local")
    draft = str(corpus / "draft" / "draft.md")
    assert _report(paths, "dask", draft) == _report(paths, "local", draft)


@needs_dask
def test_killed_worker_changes_nothing(corpus, two_workers, tmp_path):
    """A worker dies (os._exit) the first time it starts an extraction task; Dask runs the task again."""
    from distributed.diagnostics.plugin import WorkerPlugin

    marker = str(tmp_path / "killed")

    def make_plugin():
        class KillOnce(WorkerPlugin):
            name = "kill-once"

            def transition(self, key, start, finish, **kwargs):
                name = key if isinstance(key, str) else str(key[0]) if isinstance(key, tuple) else str(key)
                if finish == "executing" and name.startswith("extract-"):
                    try:
                        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                    except FileExistsError:
                        return
                    os._exit(1)

        return KillOnce()

    expected = _report([str(corpus)], "local")
    dask_engine.configure(client=two_workers)
    two_workers.register_plugin(make_plugin())
    try:
        got = _report([str(corpus)], "dask")
    finally:
        two_workers.unregister_worker_plugin("kill-once")
    assert os.path.exists(marker), "a worker was killed"
    assert got == expected


@needs_dask
def test_cli_engine_dask_with_scheduler_and_store(corpus, two_workers, tmp_path):
    address = two_workers.scheduler.address
    cwd = corpus.parent
    plain = run_cli("check", "archive", "--no-cache", cwd=cwd)
    on_dask = run_cli("check", "archive", "--no-cache", "--engine", "dask", "--scheduler", address, cwd=cwd)
    assert on_dask.returncode == plain.returncode == 1, on_dask.stderr
    assert on_dask.stdout == plain.stdout
    pytest.importorskip("pyarrow")
    st = str(tmp_path / "st")
    indexed = run_cli("index", "archive", "--store", st, "--no-cache", "--engine", "dask", "--scheduler", address,
                      cwd=cwd)
    assert indexed.returncode == 0, indexed.stderr
    stored = run_cli("check", "--store", st, "--engine", "dask", "--scheduler", address, cwd=cwd)
    assert stored.stdout == plain.stdout


def test_without_dask_the_engine_says_how_to_install_it(monkeypatch, capsys):
    from checker import cli

    for name in ("dask", "dask.dataframe", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setattr(dask_engine, "_state", dict(dask_engine._state, client=None, scheduler=None, workers=None))
    code = cli.main(["check", "--engine", "dask", str(ROOT / "seeds")])
    assert code == 2
    err = capsys.readouterr().err
    assert "pip install '.[dask]'" in err and "Traceback" not in err


@needs_dask
def test_hot_key_same_groups_as_local_and_a_note(tmp_path, one_worker):
    """24 reports share every blocking key of their figure, over the cap: the Dask engine pairs what
    align pairs (never all pairs of the hot key) and notes the cap."""
    from checker import align as align_module
    from checker.align import AlignOptions

    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    for m, month in enumerate(months):
        for k in range(3):
            (tmp_path / f"d{m}{k}.txt").write_text(
                f"On {month} 3, 2025, the ferry carried {230 if k < 2 else 232} passengers, officials said.\n")
    run = api.collect([str(tmp_path)], Config(cache=False, jobs=1))
    dask_engine.configure(client=one_worker)
    for options in (AlignOptions(max_block=10), AlignOptions()):
        local_notes, cluster_notes = [], []
        local = align_module.align(run.claims, options, run.entities, notes=local_notes)
        assert dask_engine.align(run.claims, options, run.entities, notes=cluster_notes) == local
        assert sorted(cluster_notes) == sorted(local_notes)
        if options.max_block == 10:
            assert any("24 of them, more than the cap of 10" in n and "'passengers'" in n for n in local_notes)
        else:
            assert local_notes == []
