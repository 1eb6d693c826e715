"""The store: atomic generations, round-trips, a killed writer leaves the previous store whole."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from dashboard.store.generations import (GenerationWriter, StoreError, build_lock, cached_result, current_generation,
                             event_from_json, event_to_json, event_to_row, read_event_rows, read_events,
                             read_manifest)
from tests.helpers import event

SENTENCE = "Two drones hit a fuel depot on March 3 near Hajin, Syria, killing about forty fighters, officials said."


def write(store, events, manifest=None, cache=None):
    with build_lock(store):
        w = GenerationWriter(store)
        for k, v in (cache or {}).items():
            w.put_cache(k, v)
        return w.commit([event_to_row(e) for e in events], [], manifest or {"n_events": len(events)})


def test_round_trip_keeps_every_field(tmp_path):
    e = event(SENTENCE, start="2018-03-03", end="2018-03-03", precision="day")
    write(tmp_path / "store", [e])
    (back,) = read_events(tmp_path / "store")
    assert back == e
    assert event_from_json(json.loads(json.dumps(event_to_json(e)))) == e


def test_store_is_a_link_swapped_atomically(tmp_path):
    store = tmp_path / "store"
    first = write(store, [event(SENTENCE)])
    second = write(store, [event(SENTENCE), event("Raqqa fell in October.", article="b")])
    assert store.is_symlink() and current_generation(store) == second.resolve()
    assert len(read_events(store)) == 2
    assert not first.exists() or first != second  # pruned or kept as the previous generation


def test_no_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="run `python -m dashboard build` first"):
        read_events(tmp_path / "nothing")


def test_second_concurrent_build_is_refused(tmp_path):
    with build_lock(tmp_path / "store"):
        with pytest.raises(StoreError, match="another build"):
            with build_lock(tmp_path / "store"):
                pass


def test_cache_entries_carry_over_by_hard_link(tmp_path):
    store = tmp_path / "store"
    write(store, [], cache={"k1": {"events": []}})
    with build_lock(store):
        w = GenerationWriter(store)
        assert w.reuse_cache("k1") and not w.reuse_cache("missing")
        w.commit([], [], {})
    assert cached_result(store, "k1") == {"events": []}


def test_abandoned_generation_is_cleaned_and_previous_kept(tmp_path):
    store = tmp_path / "store"
    write(store, [event(SENTENCE)], manifest={"n_events": 1})
    with build_lock(store):
        w = GenerationWriter(store)  # a build that dies before commit
        (w.tmp / "events" / "part-00000.parquet").write_bytes(b"half a file")
    assert len(read_events(store)) == 1
    write(store, [], manifest={"n_events": 0})
    assert not list(store.parent.glob("store.generations/tmp-*"))


def test_kill_9_during_a_write_leaves_the_previous_store_whole(tmp_path):
    store = tmp_path / "store"
    write(store, [event(SENTENCE)], manifest={"n_events": 1})
    # a writer process that is killed in the middle of writing a large generation
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(os.getcwd())!r})
        from dashboard.store.generations import GenerationWriter, build_lock, event_to_row
        from tests.helpers import event
        rows = [event_to_row(event("Clash %d near Raqqa in October." % i, article="a%d" % i)) for i in range(200000)]
        with build_lock({str(store)!r}):
            w = GenerationWriter({str(store)!r})
            print("writing", flush=True)
            w.commit(rows, [], {{"n_events": len(rows)}})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert read_manifest(store)["n_events"] == 1  # the old manifest (with its files' checksums)
    assert len(read_event_rows(store)) == 1
    write(store, [event(SENTENCE), event("Raqqa fell in October.", article="b")])  # next build completes
    assert len(read_events(store)) == 2
