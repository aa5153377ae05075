import pytest
from fastapi.testclient import TestClient

from revteam.api.app import create_app
from revteam.db.session import session_scope
from revteam.users.service import issue_token


@pytest.fixture
def client(db_url):
    return TestClient(create_app(db_url))


@pytest.fixture
def as_root(engine, admin) -> dict:
    with session_scope(engine) as session:
        return {"Authorization": f"Bearer {issue_token(session, admin.email, name='test', actor='test')}"}
