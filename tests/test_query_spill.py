"""A store larger than memory: the same queries over a DuckDB file with a bounded memory give the same
answers as over the in-memory table."""
import pytest

from dashboard.views.figures import map_figure, timeline_figure
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState

VIEWS = ["", "country=SY,IQ", "type=airstrike,bombing", "q=raqqa", "from=2016-01-01&to=2016-12-31",
         "tprec=day&pprec=city", "from=2015-01-01&to=2019-12-31&country=IQ&type=battle"]


@pytest.fixture(scope="module")
def stores(synthetic_store):
    return EventStore(synthetic_store), EventStore(synthetic_store, memory_limit="32MB")


def test_bounded_store_lives_in_a_database_file(stores):
    memory, bounded = stores
    assert memory._spill_dir is None and bounded._spill_dir is not None
    limit = bounded._db.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit.endswith("MiB") and float(limit.split()[0]) < 40, limit  # 32 MB, not DuckDB's default


@pytest.mark.parametrize("query", VIEWS)
def test_bounded_store_answers_like_the_in_memory_one(stores, query):
    memory, bounded = stores
    view = ViewState.from_query(query)
    assert bounded.count(view) == memory.count(view)
    assert list(bounded.filter(view, limit=200)["id"]) == list(memory.filter(view, limit=200)["id"])
    assert timeline_figure(bounded, view).to_plotly_json()["data"] == timeline_figure(memory, view).to_plotly_json()["data"]
    assert map_figure(bounded, view).to_plotly_json()["data"] == map_figure(memory, view).to_plotly_json()["data"]


def test_provenance_of_an_event_comes_from_parquet(stores):
    memory, bounded = stores
    some_id = memory.filter(ViewState(), limit=1)["id"].iloc[0]
    assert bounded.event(some_id)["provenance"] == memory.event(some_id)["provenance"]
