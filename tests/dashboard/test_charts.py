import datetime as dt
import re

from dashboard.charts import Point, cumulative, progress_vs_plan, step_line

D = dt.date(2026, 11, 1)


def test_cumulative_counts_events_per_day_running():
    days = [D, D + dt.timedelta(days=2), D, D + dt.timedelta(days=5)]
    assert cumulative(days) == [
        Point(D, 2),
        Point(D + dt.timedelta(days=2), 3),
        Point(D + dt.timedelta(days=5), 4),
    ]


def test_step_line_puts_one_point_per_day_at_its_value():
    svg = step_line([Point(D, 1), Point(D + dt.timedelta(days=10), 4)], title="Mastered", desc="Count")
    circles = re.findall(r'<circle class="point" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(circles) == 2
    (x0, y0), (x1, y1) = [(float(x), float(y)) for x, y in circles]
    # First day at the left edge, last day at the right edge; 4 is the top, 1 a quarter of the way up.
    assert x0 == 44 and x1 == 600 - 16
    assert y1 == 16 and y0 == 16 + (240 - 16 - 36) * 0.75
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg


def test_an_empty_chart_says_so():
    svg = step_line([], title="Mastered", desc="Count.")
    assert "No data yet." in svg and "<circle" not in svg


def test_titles_are_escaped():
    assert "<script>" not in step_line([], title="<script>", desc="x")


def test_progress_against_the_plan_draws_the_plan_from_zero_to_needed_at_the_target():
    svg = progress_vs_plan(
        [Point(D + dt.timedelta(days=5), 2)], start=D, target=D + dt.timedelta(days=10), needed=4,
        today=D + dt.timedelta(days=10), title="t", desc="d",
    )  # fmt: skip
    plan = re.search(r'<line class="plan"[^>]*x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"', svg)
    x1, y1, x2, y2 = map(float, plan.groups())
    assert (x1, y1) == (44, 240 - 36) and (x2, y2) == (600 - 16, 16)
    cx, cy = map(float, re.search(r'<circle class="point" cx="([\d.]+)" cy="([\d.]+)"', svg).groups())
    assert (
        cx == 44 + (600 - 60) / 2 and cy == 16 + (240 - 52) / 2
    )  # halfway in time, half of the needed units
