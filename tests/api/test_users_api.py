"""Users over the API carry the names of their team and pod, as `revteam users list` shows them."""


from revteam.db.session import session_scope
from revteam.users.service import issue_token


def test_the_user_list_names_each_users_team_and_pod(client, as_root, alice):
    listed = client.get("/api/users", headers=as_root).json()
    assert [(user["email"], user["team"], user["pod"]) for user in listed] == [
        ("alice@acme.io", "na-sdr", None), ("root@acme.io", None, None)]


def test_an_added_user_comes_back_with_team_and_pod(client, as_root):
    added = client.post("/api/users", headers=as_root, json={"email": "ada@acme.io", "name": "Ada Ae", "role": "sales",
                                                             "team": "mid-market-ae", "pod": "pod-west"})
    assert added.status_code == 201, added.text
    assert (added.json()["team"], added.json()["pod"]) == ("mid-market-ae", "pod-west")


def test_me_names_my_team(client, engine, alice):
    with session_scope(engine) as session:
        token = issue_token(session, alice.email, name="test", actor="test")
    assert client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"}).json()["team"] == "na-sdr"
