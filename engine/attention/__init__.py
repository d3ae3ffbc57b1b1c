"""The "needs attention" detector's data side (the detector itself is engine/policy/attention.py).

A package, a module a job: ``evidence`` turns a student's answers into the detector's evidence (pure, shared
with the simulated class); ``inputs`` reads the detector's input for a chunk of students in bulk and
assembles one student's; ``flag`` turns the detector's verdict into the stored flag. Nothing is imported
here, so importing ``evidence`` loads no Django (tests/plp/test_pure_modules.py): import the modules.
"""
