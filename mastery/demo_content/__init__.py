"""Lesson content that ``seed_demo`` loads into the demo's question banks: data, not code.

Written for PLP; licensed CC BY 4.0 (see the README's demo section). Math is TeX between ``\\(`` ``\\)`` or
``\\[`` ``\\]``, rendered by KaTeX on the pages (static/js/math.js); a plain ``$`` is money, never math.
"""
