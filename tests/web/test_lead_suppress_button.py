"""The lead page's "Suppress this person" button: admins only; the suppression shows on the page and its timeline."""


def test_an_admin_suppresses_the_person_from_the_lead_page(client, sign_in, admin, make_lead):
    lead = make_lead("cultivating")
    token = sign_in(admin)
    page = client.get(f"/leads/{lead}").text
    assert 'id="suppress-form"' in page and "tracks may e-mail this person" in page
    answer = client.post(f"/leads/{lead}/suppress", data={"csrf_token": token, "reason": "asked us to stop"})
    assert answer.status_code == 200
    assert "Suppressed: no touch reaches this person any more." in answer.text
    after = client.get(f"/leads/{lead}").text
    assert "admin: asked us to stop" in after and 'id="suppress-form"' not in after
    assert "no more touches: admin (asked us to stop)" in after  # the timeline


def test_a_rep_sees_no_button_and_may_not_suppress(client, sign_in, bob, make_lead):
    lead = make_lead("accepted", owner=bob)
    token = sign_in(bob)
    assert 'id="suppress-form"' not in client.get(f"/leads/{lead}").text
    answer = client.post(f"/leads/{lead}/suppress", data={"csrf_token": token, "reason": "no"})
    assert answer.status_code == 403
    assert "tracks may e-mail this person" in client.get(f"/leads/{lead}").text
