def test_healthz_reports_the_database_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_not_found_pages_are_plain_and_reveal_nothing(client, school_a):
    client.force_login(school_a.user("teacher"))
    response = client.get("/s/alpha/sections/999999/")
    assert response.status_code == 404
    assert "could not find" in response.content.decode()


def test_a_non_numeric_id_is_simply_not_found(client, school_a):
    client.force_login(school_a.user("teacher"))
    assert client.get("/s/alpha/sections/abc/").status_code == 404
