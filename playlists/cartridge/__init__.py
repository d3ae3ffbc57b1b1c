"""IMS Common Cartridge 1.0–1.3 (``.imscc``, as Canvas, Moodle and others export it), read into what PLP
can hold. Pure: no Django.

- The organization's modules (the children of its root item) become playlists, in order; their items that
  point at HTML pages (``webcontent``) or web links (``imswl_xmlv1pN``) become content items.
- Assessments (``imsqti_xmlv1p2/imscc_xmlv1pN/assessment`` or ``question-bank``, QTI 1.2 CC profile) become
  question banks, read by :mod:`mastery.qti.qti12`.
- Everything else (LTI links, discussions, assignments, files, LMS settings) is a line in the report saying
  why it is not imported. A resource that is broken (its file missing, its XML unreadable) is an error:
  the service writes nothing while the cartridge has one.

Safety: the zip is opened with the roster upload's guard (counts bytes actually unpacked; only the XML and
HTML files are unpacked at all, never the images, PDFs or videos), XML goes through defusedxml, a path in
the manifest that climbs out of the cartridge (``../``) or is absolute is an error, and the loops check the
upload time budget (:mod:`plp.time_budget`).

A module a job: ``model`` (what a cartridge becomes: modules, contents, quizzes and the report's lines),
``manifest`` (the manifest's version, title and resources), ``resources`` (one resource read into a content
item, a question bank or a report line), ``modules`` (the organization's modules into playlists) and
``reader`` (``read_cartridge``: the upload as a whole, its zip and manifest checked).
"""
