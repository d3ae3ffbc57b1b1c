"""Server-side SVG charts (Python, no JavaScript): a step line of a count over time, and
a student's progress against the pacing plan. Every chart has a <title>, a <desc> and a data table in
the page as its text alternative; the numbers are escaped by construction (only ints and floats); days
read in the one day format (plp.timefmt)."""

import datetime as dt
from dataclasses import dataclass
from html import escape

from plp.timefmt import format_day

WIDTH, HEIGHT = 600, 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 16, 16, 36


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: float


def cumulative(days: list[dt.date]) -> list[Point]:
    """One point per day with the running count of events up to and including that day."""
    points: list[Point] = []
    for day in sorted(days):
        if points and points[-1].day == day:
            points[-1] = Point(day, points[-1].value + 1)
        else:
            points.append(Point(day, (points[-1].value if points else 0) + 1))
    return points


def _scale(start: dt.date, end: dt.date, top: float):
    span = max((end - start).days, 1)
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    top = top or 1

    def xy(day: dt.date, value: float) -> tuple[float, float]:
        x = PAD_LEFT + inner_w * (day - start).days / span
        y = PAD_TOP + inner_h * (1 - value / top)
        return round(x, 1), round(y, 1)

    return xy


def _frame(title: str, desc: str, start: dt.date, end: dt.date, top: float, body: list[str]) -> str:
    xy = _scale(start, end, top)
    x0, y0 = xy(start, 0)
    x1, y1 = xy(end, top)
    axis = [
        f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}"/>',
        f'<line class="axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/>',
        f'<text x="{x0}" y="{HEIGHT - 12}">{format_day(start)}</text>',
        f'<text x="{x1}" y="{HEIGHT - 12}" text-anchor="end">{format_day(end)}</text>',
        f'<text x="{x0 - 6}" y="{y0}" text-anchor="end">0</text>',
        f'<text x="{x0 - 6}" y="{y1 + 10}" text-anchor="end">{_num(top)}</text>',
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="chart" aria-labelledby="chart-title chart-desc">'
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>'
        + "".join(axis + body)
        + "</svg>"
    )


def _circle(x: float, y: float, point: Point) -> str:
    label = f"{format_day(point.day)}: {_num(point.value)}"
    return f'<circle class="point" cx="{x}" cy="{y}" r="3"><title>{label}</title></circle>'


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.0f}"


def step_line(points: list[Point], *, title: str, desc: str, top: float | None = None) -> str:
    """A step line through ``points`` (a running count), one circle per point, from the first to the last
    day (or today's span if one point). An empty series draws the axes and says so in its description."""
    if not points:
        today = dt.date.today()
        return _frame(title, desc + " No data yet.", today, today + dt.timedelta(days=1), 1, [])
    start, end = points[0].day, max(points[-1].day, points[0].day + dt.timedelta(days=1))
    top = top or max(p.value for p in points)
    xy = _scale(start, end, top)
    path: list[str] = []
    circles: list[str] = []
    previous_y = None
    for point in points:
        x, y = xy(point.day, point.value)
        if previous_y is None:
            path.append(f"M{x},{y}")
        else:
            path.append(f"H{x}V{y}")
        previous_y = y
        circles.append(_circle(x, y, point))
    line = f'<path class="series" fill="none" d="{" ".join(path)}"/>'
    return _frame(title, desc, start, end, top, [line, *circles])


def progress_vs_plan(
    points: list[Point],
    *,
    start: dt.date,
    target: dt.date,
    needed: int,
    today: dt.date,
    title: str,
    desc: str,
) -> str:
    """The student's done units over time (step line) against the plan: a dashed straight line from 0 at
    the start date to ``needed`` at the target date."""
    end = max(target, today, points[-1].day if points else today)
    top = max(needed, max((p.value for p in points), default=0), 1)
    xy = _scale(start, end, top)
    px0, py0 = xy(start, 0)
    px1, py1 = xy(target, needed)
    body = [f'<line class="plan" stroke-dasharray="6 4" x1="{px0}" y1="{py0}" x2="{px1}" y2="{py1}"/>']
    path = [f"M{px0},{py0}"]
    for point in points:
        x, y = xy(max(point.day, start), point.value)
        path.append(f"H{x}V{y}")
        body.append(_circle(x, y, point))
    tx, _ = xy(today, 0)
    body.insert(0, f'<path class="series" fill="none" d="{" ".join(path)}H{tx}"/>')
    return _frame(title, desc, start, end, top, body)
