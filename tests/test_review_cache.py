"""The review page's changes marked are built once per state of the content, and never shown stale."""

import re

import psycopg2
import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.urls import reverse
from django.test.utils import CaptureQueriesContext

from agreements.models import Paragraph, Version
from agreements.workflow import transition
from agreements.stamps import edition_sources, fragment_cache, stamp
from assessments.models import Category
from review.models import Comment

from .test_review import comment, url

# A cached review page: the session, the user, the roles, the version, the edition before it, the
# date comments are asked by, the stamp, the comments, and one to spare.
CACHED = 9
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def get(client, version):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(version))
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode()), len(captured)


def test_the_second_reader_gets_the_same_page_from_the_cache(client, in_review, working_group_member):
    client.force_login(working_group_member)
    first, built = get(client, in_review)
    second, cached = get(client, in_review)
    assert second == first
    assert "What changed: 3 changes" in second
    assert cached <= CACHED < built


def test_each_base_edition_gets_its_own_comparison(client, in_review, kcst):
    client.force_login(kcst)
    against_8, _ = get(client, in_review)  # kept, against the last published edition
    assert "Changes are marked against version 8.0" in against_8 and "What changed: 3 changes" in against_8
    response = client.get(reverse("compare", args=["kent"]), {"old": "1.0", "new": in_review.number})
    against_1 = response.content.decode()
    assert "Changes are marked against version 1.0" in against_1
    assert "What changed: 3 changes" not in against_1


def test_an_edit_to_the_draft_shows_at_once(client, in_review, kcst):
    client.force_login(kcst)
    transition(in_review, "return_to_draft", kcst, note="One more change")
    get(client, in_review)
    paragraph = Paragraph.objects.get(chapter__version=in_review, key="priorities-1")
    paragraph.html = paragraph.html.replace("year ahead", "twelve months to come")
    paragraph.save()
    page, _ = get(client, in_review)
    assert "[added: </span>twelve months to come" in page
    assert "[added: </span>year ahead" not in page


def test_a_change_to_the_returns_shows_at_once(client, draft, kcst):
    client.force_login(kcst)  # 8.0 prints Appendix A from the 2023-24 returns
    before, _ = get(client, draft)
    category = Category.objects.filter(cycle__version=draft, items__isnull=False).first()
    assert category.label in before
    category.name = "Renamed by KCST"
    category.save()
    after, _ = get(client, draft)
    assert "Renamed by KCST" in after


def test_a_discarded_proposal_goes_at_once(client, in_review, kcst):
    client.force_login(kcst)
    transition(in_review, "return_to_draft", kcst, note="Add the change notes")
    page, _ = get(client, in_review)
    assert 'value="Ch.7 - minor change to the list of leads"' in page
    client.post(url(in_review, "discard_proposal"),
                {"section": "Ch.7", "text": "Ch.7 - minor change to the list of leads"})
    page, _ = get(client, in_review)
    assert 'value="Ch.7 - minor change to the list of leads"' not in page
    assert 'value="Ch.6 - changes made to priorities and cross-cutting themes"' in page


def test_a_new_comment_shows_at_once(client, in_review, working_group_member):
    client.force_login(working_group_member)
    get(client, in_review)
    comment(client, in_review, "chapter:leads", "Is the Vision Zero chair confirmed?")
    page, _ = get(client, in_review)
    assert "Is the Vision Zero chair confirmed?" in page
    mine = Comment.objects.get(text="Is the Vision Zero chair confirmed?")
    assert f'href="/review/comments/{mine.pk}/edit/"' in page


def test_one_readers_page_holds_nothing_of_another(client, in_review, kcst, working_group_member):
    client.force_login(working_group_member)
    comment(client, in_review, "chapter:leads", "Is the Vision Zero chair confirmed?")
    member_page, _ = get(client, in_review)
    client.force_login(kcst)
    kcst_page, _ = get(client, in_review)
    assert "Signed in as wg-member" in member_page and "Signed in as kcst-officer" in kcst_page
    assert "Add a comment" in member_page and "Add a comment" not in kcst_page
    assert "Change<span" in member_page and "Change<span" not in kcst_page
    assert "Reply or resolve" in kcst_page and "Reply or resolve" not in member_page


@pytest.fixture
def write_in_flight(db):
    """Another connection in the middle of a write transaction, as another request would be."""
    other = psycopg2.connect(**{k: v for k, v in connection.get_connection_params().items()
                                if k in ("dbname", "user", "password", "host", "port")})
    with other.cursor() as cursor:
        cursor.execute("BEGIN; SELECT pg_current_xact_id()")
    yield
    other.rollback()
    other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids out of commit order happen on PostgreSQL only")
def test_nothing_is_cached_while_another_write_is_in_flight(client, in_review, kcst, write_in_flight):
    # A history row numbered below the newest could still be committed: a build now could go stale.
    assert not stamp(edition_sources()).settled
    client.force_login(kcst)
    get(client, in_review)
    _, again = get(client, in_review)
    assert again > CACHED


def test_the_stamp_is_settled_when_no_write_is_in_flight(db):
    assert stamp(edition_sources()).settled


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids out of commit order happen on PostgreSQL only")
def test_a_fragment_is_kept_for_no_time_while_another_write_is_in_flight(write_in_flight):
    assert fragment_cache(edition_sources())["seconds"] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stamp is a prepared statement on PostgreSQL only")
def test_the_stamp_is_prepared_again_on_a_new_connection(db):
    before = stamp(edition_sources())
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a new connection starts with
    connection_created.send(sender=type(connection), connection=connection)
    assert stamp(edition_sources()) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stamp is a prepared statement on PostgreSQL only")
def test_the_stamp_is_read_through_a_statement_prepared_on_the_connection(db):
    # PostgreSQL takes longer to plan the stamp's two dozen look-ups than to run them.
    stamp(edition_sources())
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name LIKE 'stamp%%'")
        prepared = [statement for statement, in cursor.fetchall()]
    editions_history = Version.history.model._meta.db_table
    assert any(f'MAX(history_id) FROM "{editions_history}"' in statement for statement in prepared)
