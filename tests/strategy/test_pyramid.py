"""The priority pyramid is drawn only when themes and target areas make one."""

from __future__ import annotations

from safer.strategy.models import TargetArea, Theme
from safer.strategy.pyramid import Pyramid, pyramid_layout, wrap


def _layout() -> Pyramid | None:
    themes = list(Theme.objects.order_by("number").prefetch_related("target_areas"))
    matrix = {ta.pk: [t.pk for t in ta.themes.all()] for ta in TargetArea.objects.all()}
    return pyramid_layout(themes, matrix)


def test_it_puts_themes_at_corners_and_target_areas_on_edges(lancashire: None) -> None:
    pyramid = _layout()
    assert pyramid is not None
    assert [c.theme.number for c in pyramid.corners] == [1, 2, 3, 4]
    edges = pyramid.edges
    assert len(edges) == 6
    # The three edges to the back corner (theme 4) are the hidden, dashed ones.
    hidden = {e.target_area.title for e in edges if e.hidden}
    assert hidden == {"All victims", "Removal of barriers to", "All offenders"}
    for edge in edges:
        assert edge.box_width >= 8 * max(len(line) for line in edge.label_lines)


def test_it_draws_nothing_when_a_target_area_joins_three_themes(lancashire: None) -> None:
    target_area = TargetArea.objects.get(slug="all-victims")
    target_area.themes.add(Theme.objects.get(number=2))
    assert _layout() is None


def test_it_draws_nothing_for_other_than_four_themes(lancashire: None) -> None:
    themes = list(Theme.objects.order_by("number")[:3])
    assert pyramid_layout(themes, {}) is None


def test_it_wraps_labels_at_word_boundaries() -> None:
    assert wrap("Reduce priority crime and disorder", 24) == [
        "Reduce priority crime",
        "and disorder",
    ]
