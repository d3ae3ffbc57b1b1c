"""Competency frameworks read from a file, pure Python (no Django), a module a job: ``parsed`` (what a file
becomes: a :class:`~playlists.frameworks.parsed.ParsedFramework` of competencies, their tree and prerequisite
edges, plus row-level problems; the checks both formats share), ``case_json`` (1EdTech CASE 1.0/1.1 JSON),
``competency_csv`` (a simple CSV) and ``upload`` (a person's file, read within a time budget). ``errors``
block the import; ``warnings`` (dangling references to nodes outside the package, association types we do
not use) are reported and the import goes on. The service in playlists/framework_services.py writes the
result in one transaction; cycles are found by playlists/prerequisite_graph.py."""
