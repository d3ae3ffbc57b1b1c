"""The documented defaults of a school's own settings that apps below the engine read (no Django): the one
place these values are written.

A school sets them in ``schools.SchoolSettings`` (one row or none; a school without a row uses these).
They live in ``schools``, below every reader, because the readers sit on both sides of the engine: an
assignment's pace (``playlists``) and the mentee list's due check-ins (``mentoring``) read them in their own
queries, and the engine's flags and Next up read them through its pure ``Thresholds``
(``engine/policy/snapshot.py``), whose fields of the same names take their defaults from here, as the pace
rule's ``PACE_TOLERANCE`` does (``engine/policy/pace.py``). Kept here rather than in the engine's pure
policy so that the model that stores them, in ``schools``, needs nothing from the engine (the engine's pure
policy may import this module: it is pure too, ``tests/plp/test_pure_modules.py``).

The settings the engine alone reads (the flags' other thresholds, including ``pace_recent_school_days``,
which decides only whether a student behind pace is catching up: the behind-pace flag) stay with the engine
(``engine.SchoolThresholds``, defaults in ``Thresholds``).

Where the values come from:

- ``PACE_MARGIN`` = 0.10: behind when the share of required work done trails the share of time elapsed by
  more than ten percentage points (within ten points of the plan counts as on track).
- ``CHECK_IN_DAYS`` = 14: a fortnightly mentor check-in (Summit's cadence is weekly to biweekly).
- ``CHECK_IN_GRACE_DAYS`` = 3: a check-in is missed once its due day (the mentor's follow-up date, or the
  cadence since the last one) is more than three days past: a check-in moved to the next week's first days
  is not a missed one.
"""

PACE_MARGIN = 0.10
CHECK_IN_DAYS = 14
CHECK_IN_GRACE_DAYS = 3
