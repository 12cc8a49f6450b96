import pytest

from .conftest import assert_accessible, make_user, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person(transactional_db):
    # Signing in needs no agreement, and the live server's database has none loaded.
    return make_user("kcsp-member")


def test_sign_in_page_is_accessible_and_signs_a_member_in(page, live_server, person):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    sign_in(page, live_server, person)
    assert "Signed in as kcsp-member" in page.content()


def test_wrong_password_shows_the_error_summary(page, live_server, person):
    sign_in(page, live_server, person, password="wrong")
    assert page.title().startswith("Error:")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
