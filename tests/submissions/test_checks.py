"""A deployment that names a kind the sniffer does not know, or no size, fails ``manage.py check``."""

from submissions.checks import submission_settings_check


def test_the_default_settings_pass(settings):
    assert submission_settings_check(None) == []


def test_an_unknown_kind_or_no_size_fails_the_check(settings):
    settings.SUBMISSION_FILE_TYPES = ("pdf", "exe")
    settings.SUBMISSION_MAX_BYTES = 0
    assert [e.id for e in submission_settings_check(None)] == ["submissions.E001", "submissions.E002"]
    assert "['exe']" in submission_settings_check(None)[0].msg
