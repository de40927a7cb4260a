"""`{% kunming_map figure %}`: draws a `kmgov.core.geomap.MapFigure` as inline SVG.

The map is the page's own markup — county outlines as paths, each point a link (`<a href>`
around a circle, its label as `<title>` and accessible name) — so it needs no script, no
tiles and no network. Any module builds the figure with `geomap.map_figure(points=…)`."""

from django import template

register = template.Library()


@register.inclusion_tag("web/_map.html")
def kunming_map(figure, caption=""):
    return {"fig": figure, "caption": caption}
