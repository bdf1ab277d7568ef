"""Lay out the priority pyramid: the figure the agreement uses for its theme × target matrix.

The pyramid is a tetrahedron seen from the front: the four priority themes are its corners and
each target area is an edge joining the two themes whose work meets there. An agreement whose
themes and target areas do not form that shape gets no figure; its matrix table still shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from safer.strategy.models import TargetArea, Theme

WIDTH = 900
HEIGHT = 560
# Apex, front-left, front-right and the back corner (drawn higher, its edges dashed as hidden).
_CORNERS = [(450, 70), (170, 460), (730, 460), (520, 320)]
# Where each corner's theme name goes, relative to the corner.
_LABEL_OFFSET = [-20, 34, 34, 34]
_BACK = 3


@dataclass(frozen=True)
class Corner:
    theme: Theme
    x: int
    y: int
    label_y: int
    label_lines: list[str]


@dataclass(frozen=True)
class Edge:
    target_area: TargetArea
    x1: int
    y1: int
    x2: int
    y2: int
    hidden: bool
    label_x: int
    label_y: int
    label_lines: list[str]

    @property
    def box_width(self) -> int:
        """Wide enough for the longest line at the label's 14px type, with padding."""
        return 8 * max(len(line) for line in self.label_lines) + 20

    @property
    def box_height(self) -> int:
        return 10 + 18 * len(self.label_lines)

    @property
    def box_x(self) -> int:
        return self.label_x - self.box_width // 2

    @property
    def box_y(self) -> int:
        return self.label_y - 14


@dataclass(frozen=True)
class Pyramid:
    width: int
    height: int
    corners: list[Corner]
    edges: list[Edge]


def wrap(text: str, width: int = 22) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def pyramid_layout(themes: Sequence[Theme], matrix: dict[int, list[int]]) -> Pyramid | None:
    """Place themes at corners and target areas on edges; None if they are not a pyramid.

    `matrix` maps each target area's id to the ids of the themes it joins.
    """
    if len(themes) != 4:
        return None
    position = {theme.pk: index for index, theme in enumerate(themes)}
    target_areas = {ta.pk: ta for theme in themes for ta in theme.target_areas.all()}
    edges_by_pair: dict[frozenset[int], TargetArea] = {}
    for target_id, theme_ids in matrix.items():
        if len(theme_ids) != 2 or target_id not in target_areas:
            return None
        pair = frozenset(position[t] for t in theme_ids)
        if pair in edges_by_pair:
            return None
        edges_by_pair[pair] = target_areas[target_id]
    if set(edges_by_pair) != {frozenset(p) for p in combinations(range(4), 2)}:
        return None

    corners = []
    for index, (theme, (x, y)) in enumerate(zip(themes, _CORNERS, strict=True)):
        lines = wrap(f"{theme.number}. {theme.title}", 30)
        # The apex's name stands above it, so its first line moves up for each extra line.
        label_y = y + _LABEL_OFFSET[index] - (20 * (len(lines) - 1) if index == 0 else 0)
        corners.append(Corner(theme, x, y, label_y, lines))
    edges = []
    for pair, target_area in sorted(edges_by_pair.items(), key=lambda item: item[1].number):
        a, b = sorted(pair)
        (x1, y1), (x2, y2) = _CORNERS[a], _CORNERS[b]
        # Labels sit a little along the edge from its middle so the inner ones do not collide.
        share = 0.5 if _BACK not in pair else 0.42
        label_x = round(x1 + (x2 - x1) * share)
        label_y = round(y1 + (y2 - y1) * share)
        edges.append(
            Edge(
                target_area,
                x1,
                y1,
                x2,
                y2,
                _BACK in pair,
                label_x,
                label_y,
                wrap(target_area.title, 24),
            )
        )
    return Pyramid(WIDTH, HEIGHT, corners, edges)
