"""The basemap cut to a map's view (export/basemap.py): which shapes stay, and that the images it draws are
byte-identical to those drawn from the whole world file, in real Chromium, for views all over the globe."""
from __future__ import annotations

import json

import pytest

from dashboard.export import basemap, renderer as rendering
from dashboard.export.exporter import export_figure
from dashboard.export.presets import image_size
from dashboard.export.renderer import ImageRenderer
from dashboard.views.query import EventStore
from dashboard.views.state import ViewState
from tests.conftest import generated_store



def app_geo(lon: float, lat: float, scale: float, **extra) -> dict:
    """The geo layout of the app's and the exports' map (figures.py): natural earth, ranges around lon."""
    half = 360.0 * 1.4 / 1.95 / 2
    return {"scope": "world", "resolution": 50, "projection": {"type": "natural earth", "scale": scale},
            "center": {"lon": lon, "lat": lat}, "lonaxis": {"range": [lon - half, lon + half]},
            "lataxis": {"range": [-90, 90]}, **extra}


def map_of(geo: dict, **trace) -> dict:
    return {"data": [{"type": "scattergeo", "lon": [geo["center"]["lon"]], "lat": [geo["center"]["lat"]], **trace}],
            "layout": {"geo": geo}}


def kept_countries(cut: basemap.Basemap) -> set[str]:
    return {shape.get("id") for shape in json.loads(cut.text)["objects"]["countries"]["geometries"]}


# -- the window a view shows ---------------------------------------------------------------------------

@pytest.mark.parametrize("lon, lat, scale", [(40, 35, 8), (20, 70, 6), (-170, 60, 4), (179, -17, 16), (0, -75, 8),
                                             (43, 36, 40)])
def test_the_window_holds_the_centre_and_narrows_as_the_map_zooms_in(lon, lat, scale):
    west, south, east, north = basemap.view_window(app_geo(lon, lat, scale))
    assert west < lon < east and south < lat < north
    closer = basemap.view_window(app_geo(lon, lat, scale * 2))
    assert west < closer[0] and closer[2] < east and (east - west) > (closer[2] - closer[0])


@pytest.mark.parametrize("geo", [
    app_geo(40, 35, 1),                                                  # the whole world
    app_geo(40, 35, 2.5),                                                # too wide to gain from a cut
    dict(app_geo(40, 35, 8), projection={"type": "mercator", "scale": 8}),
    dict(app_geo(40, 35, 8), scope="europe"),
    dict(app_geo(40, 35, 8), fitbounds="locations"),
    dict(app_geo(40, 35, 8), projection={"type": "natural earth", "scale": 8, "rotation": {"lat": 20}}),
    dict(app_geo(40, 35, 8), center={"lon": 60, "lat": 35}),             # a centre off the projection's rotation
    dict(app_geo(40, 35, 8), lonaxis={}),
])
def test_views_that_are_not_bounded_are_drawn_from_the_whole_file(geo):
    assert basemap.view_window(geo) is None
    assert basemap.cut_basemap(map_of(geo)) is None


def test_a_figure_that_looks_shapes_up_by_name_or_has_two_maps_is_not_cut():
    geo = app_geo(40, 35, 8)
    assert basemap.cut_basemap(map_of(geo)) is not None
    assert basemap.cut_basemap(map_of(geo, locations=["SYR"], locationmode="ISO-3")) is None
    assert basemap.cut_basemap({"data": [{"type": "choropleth", "locations": ["IRQ"], "z": [1]}],
                                "layout": {"geo": geo}}) is None
    assert basemap.cut_basemap({"data": [{"type": "choropleth", "locations": ["a"], "z": [1], "geojson": {
        "type": "FeatureCollection", "features": []}, "featureidkey": "id"}], "layout": {"geo": geo}}) is not None
    assert basemap.cut_basemap({"data": [], "layout": {"geo": geo, "geo2": geo}}) is None
    assert basemap.cut_basemap({"data": [{"type": "bar", "y": [1]}], "layout": {}}) is None


# -- what the cut keeps ----------------------------------------------------------------------------------

def test_a_middle_east_view_keeps_the_region_and_drops_the_americas():
    cut = basemap.cut_basemap(map_of(app_geo(40, 35, 8)))
    countries = kept_countries(cut)
    assert {"SYR", "IRQ", "TUR", "IRN", "JOR", "SAU", "RUS"} <= countries  # Russia's shape spans the globe
    assert not countries & {"USA", "BRA", "AUS", "JPN", "ZAF", "ARG"}
    assert cut.name == "world_50m" and len(cut.text) < 0.4 * len((rendering.TOPOJSON_DIR / "world_50m.json").read_text())


def test_a_view_across_the_antimeridian_keeps_both_sides():
    countries = kept_countries(basemap.cut_basemap(map_of(app_geo(179, -17, 16))))
    assert "FJI" in countries and not countries & {"SYR", "BRA"}
    countries = kept_countries(basemap.cut_basemap(map_of(app_geo(-178, 60, 8))))
    assert {"RUS", "USA"} <= countries  # Chukotka (east of 180) and Alaska (west of it)


def test_the_cut_topology_is_valid_and_its_arcs_renumbered():
    topology = json.loads(basemap.cut_basemap(map_of(app_geo(10, 50, 4))).text)
    whole = json.loads((rendering.TOPOJSON_DIR / "world_50m.json").read_text())
    assert topology["transform"] == whole["transform"] and set(topology["objects"]) == set(whole["objects"])
    used = set()

    def arcs_of(node):
        if isinstance(node, int):
            used.add(node if node >= 0 else ~node)
        else:
            for child in node:
                arcs_of(child)

    for collection in topology["objects"].values():
        for shape in collection["geometries"]:
            arcs_of(shape.get("arcs", []))
            assert shape["arcs"], shape  # no shape left without rings or lines
    assert used == set(range(len(topology["arcs"])))  # every arc used, none missing
    assert len(topology["arcs"]) < len(whole["arcs"])
    # an arc kept is the same arc (its points as in the whole file)
    assert all(arc in whole["arcs"] for arc in topology["arcs"][:25])


def test_the_same_view_is_cut_once():
    geo = app_geo(40, 35, 8)
    assert basemap.cut_basemap(map_of(geo)) is basemap.cut_basemap(map_of(dict(geo)))


# -- drawn in Chromium: the same image -------------------------------------------------------------------

@pytest.fixture(scope="module")
def event_store(tmp_path_factory):
    return EventStore(generated_store(tmp_path_factory.mktemp("basemap"), 300, seed=5))


VIEWS = ["", "map=40,35,8", "map=20,70,6", "map=0,20,1.3", "map=-170,60,4", "map=179,-17,16", "map=0,-75,4",
         "map=140,-30,3.2", "layer=density", "map=43,36,40", ""]


@pytest.mark.chromium
def test_a_cut_basemap_draws_the_same_image_as_the_whole_world(event_store, monkeypatch):
    """Every view, one after another in one browser (so a cut handed to the page for one view must not
    leak into the next one, cut or not), against the same views drawn from the whole file."""
    width, height = image_size("map")
    figures = [export_figure(event_store, "map", ViewState.from_query(query)) for query in VIEWS]
    assert sum(basemap.cut_basemap(fig) is not None for fig in figures) >= 9  # the density layer's too
    with ImageRenderer() as cutting:
        cut = [cutting.render(fig, "png", width, height, 2) for fig in figures]
    monkeypatch.setattr(rendering, "cut_basemap", lambda fig: None)
    with ImageRenderer() as whole_world:
        whole = [whole_world.render(fig, "png", width, height, 2) for fig in figures]
    for query, one, other in zip(VIEWS, cut, whole):
        assert one == other, f"the view {query or '(default)'} differs when drawn from the cut basemap"


@pytest.mark.chromium
def test_a_page_reloaded_after_its_images_still_draws_each_view_right(event_store, monkeypatch):
    monkeypatch.setattr(rendering, "IMAGES_PER_PAGE", 2)  # the page reloads after every second image
    close = export_figure(event_store, "map", ViewState.from_query("map=40,35,8"))
    wide = export_figure(event_store, "map", ViewState.from_query("map=40,35,1"))
    order = (close, close, close, wide, close, wide, wide, close)
    with ImageRenderer() as running:
        drawn = [running.render(fig, "png", 600, 350) for fig in order]
    monkeypatch.setattr(rendering, "cut_basemap", lambda fig: None)
    with ImageRenderer() as whole_world:
        expected = {id(fig): whole_world.render(fig, "png", 600, 350) for fig in (close, wide)}
    assert expected[id(close)] != expected[id(wide)]
    assert drawn == [expected[id(fig)] for fig in order]
