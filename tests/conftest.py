"""The cast of users and the Kent data, shared by every test."""

import io
import logging
import os
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor

from agreements import roles
from agreements.models import Agreement, Paragraph, Version
from agreements.refresh import start_next_refresh
from agreements.workflow import transition
from assessments.models import Partnership, PartnershipOfficer

KENT_FIXTURES = settings.BASE_DIR / "fixtures" / "kent"


def load_kent() -> None:
    call_command("load_agreement", str(KENT_FIXTURES), stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    # Loaded once; every test runs in a transaction that is rolled back. The public pages written
    # as Kent's past editions are stored go to a folder of the session's, never the demo's media.
    pages = tmp_path_factory.mktemp("public-pages")
    with django_db_blocker.unblock(), override_settings(PUBLIC_PAGES_ROOT=pages):
        # A database kept with --reuse-db (make mutants) may have been flushed by a transactional
        # test, which takes away the role groups their data migration made.
        roles.ensure_roles(Group, Permission)
        load_kent()


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="session")
def rendered_draft(django_db_setup, django_db_blocker):
    """Kent's 8.0 laid out once for the session, through the two steps render_pdf takes, keeping
    WeasyPrint's pages to measure and what it logged."""
    from documents.data import build_document
    from documents.pdf import document_html, lay_out, write_pdf

    handler = Collect()
    logging.getLogger("weasyprint").addHandler(handler)
    try:
        with django_db_blocker.unblock():
            version = Version.objects.get(agreement__slug="kent", number="8.0")
            document = build_document(version)
            html = document_html(version)
            pages = lay_out(html)
        pdf = write_pdf(pages)
    finally:
        logging.getLogger("weasyprint").removeHandler(handler)
    return {"document": document, "html": html, "pages": pages, "pdf": pdf, "log": handler.records}


def make_user(username: str, role: str | None = None, agreement: Agreement | None = None, **extra) -> User:
    """A user holding the role in the agreement (Kent unless named); a district officer's tie to a
    partnership is made by make_officer."""
    # Browser tests flush the database, data migrations included; the roles come back here.
    roles.ensure_roles(Group, Permission)
    user = User.objects.create_user(username, f"{username}@example.org", "correct-horse-battery", **extra)
    if role == roles.DISTRICT_OFFICER:
        user.groups.add(Group.objects.get(name=role))
    elif role:
        roles.grant(user, role, agreement or Agreement.objects.get(slug="kent"))
    return user


@pytest.fixture
def kent(db) -> Agreement:
    # A browser test's flush removes it; roles are held in it, so the cast needs it back.
    if not Agreement.objects.filter(slug="kent").exists():
        load_kent()
    return Agreement.objects.get(slug="kent")


@pytest.fixture
def draft(kent) -> Version:
    return kent.versions.get(number="8.0")


def import_second_agreement(kent: Agreement) -> Agreement:
    """Another agreement with Kent's name, districts, partnerships, editions and returns (as an
    older Kent agreement would have), imported from Kent's export under its own slug."""
    from documents.backup import export_agreement, import_agreement

    data = export_agreement(kent, kent.versions.get(number="8.0"))
    data["agreement"]["slug"] = "kent-2011"
    return import_agreement(data)


@pytest.fixture
def other_agreement(kent) -> Agreement:
    return import_second_agreement(kent)


@pytest.fixture
def kcst(kent) -> User:
    return make_user("kcst-officer", roles.KCST_STAFF, is_staff=True)


@pytest.fixture
def kcsp_member(kent) -> User:
    return make_user("kcsp-member", roles.KCSP_MEMBER)


@pytest.fixture
def working_group_member(kent) -> User:
    return make_user("wg-member", roles.WORKING_GROUP_MEMBER)


@pytest.fixture
def superuser(db) -> User:
    return make_user("root", is_staff=True, is_superuser=True)


def make_officer(slug: str, can_confirm: bool = False, agreement: str = "kent") -> User:
    user = make_user(f"officer-{slug}" if agreement == "kent" else f"officer-{agreement}-{slug}",
                     roles.DISTRICT_OFFICER)
    PartnershipOfficer.objects.create(
        user=user, partnership=Partnership.objects.get(agreement__slug=agreement, slug=slug),
        can_confirm_local_signoff=can_confirm,
    )
    return user


@pytest.fixture
def officer_a(db) -> User:
    return make_officer("ashford", can_confirm=True)


@pytest.fixture
def officer_b(db) -> User:
    return make_officer("canterbury")


# Browser tests: Debian's Chromium driven by Playwright; never a downloaded browser.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop; the ORM calls the tests make beside it are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    # The Content-Security-Policy forbids inline script and style; any page that needs them fails here.
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert refused == [], refused


def sign_in(page, live_server, user: User, password: str = "correct-horse-battery") -> None:
    """Signs in through the pages; KCST staff and superusers get an app and give its code."""
    if two_factor.required_for(user):
        authenticator_app(user)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith("/accounts/two-factor/"):
        page.get_by_label("Code").fill(code_from_app(TOTPDevice.objects.get(user=user, confirmed=True)))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


# Two-factor sign-in is on in the suite, as in production; a test of the demo turns it off.
@pytest.fixture(autouse=True)
def public_pages_of_this_test(settings, tmp_path):
    """Each test's published pages are kept in a folder of its own: a page file outlives the
    rolled-back publication that wrote it, and would be served at that address in later tests."""
    settings.PUBLIC_PAGES_ROOT = tmp_path / "public-pages"
    return settings.PUBLIC_PAGES_ROOT


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def authenticator_app(user: User) -> TOTPDevice:
    """The user's confirmed app, as if they had set it up on their first sign-in."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "Test app"})
    return device


def code_from_app(device: TOTPDevice) -> str:
    """The code the app shows now, or the next one if now's was used (a code works once).

    The device counts steps with its drift added (last_t includes it): a code entered just as a
    step ended was matched one step back and left a drift of -1, so the next unused step starts
    a step later in time than last_t alone says.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = max(time.time(), (device.last_t + 1 - device.drift) * device.step + device.t0)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture(autouse=True)
def force_login_gives_the_second_factor(monkeypatch):
    """client.force_login makes a fully signed-in session, second factor included where one is owed.

    A test of the half-signed-in state signs in with client.login (the password alone).
    """
    force_login = Client.force_login

    def force_login_verified(client, user, backend=None):
        force_login(client, user, backend)
        if two_factor.required_for(user):
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = authenticator_app(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


def assert_accessible(page, preload: bool = True) -> None:
    """axe-core, bundled in axe-playwright-python, finds no violations on the page.

    preload=False for the admin's form pages: axe's preloading of their stylesheets applies inline
    styles, which the Content-Security-Policy refuses (and the page fixture then fails).
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": preload})
    assert results.violations_count == 0, results.generate_report()


def assert_admin_pages_fit_and_pass_axe(page, base_url: str, urls, width: int = 1280) -> None:
    """Opens each admin page in turn: each answers 200, fits `width` px without sideways scrolling
    and has no axe-core violation. Lazy `urls` may depend on the pages before them being visited."""
    too_wide = []
    for url in urls:
        response = page.goto(f"{base_url}{url}")
        assert response.status == 200, url
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide.append(f"{url}: {scroll_width} px")
        try:
            assert_accessible(page, preload=False)
        except AssertionError as failure:
            raise AssertionError(f"{url}\n{failure}") from None
    assert too_wide == []


@pytest.fixture
def live_kent(transactional_db, live_server):
    """A live server with the Kent data, for browser tests (which flush the database after)."""
    load_kent()
    return live_server


def mark_published(version: Version) -> Version:
    """Publish without the sign-off route or a PDF, for tests about what comes after publication."""
    from agreements.workflow import record_past_status

    record_past_status(version, Version.Status.PUBLISHED, "Published for a test.")
    version.refresh_from_db()
    return version


def change_three_things(new: Version) -> None:
    """A priority renamed, a lead's role changed and a paragraph reworded, as a refresh would."""
    priority = new.priorities.get(key="neighbourhood-crime-asb")
    priority.name = "Neighbourhood Crime and Anti-Social Behaviour"
    priority.save()
    lead = new.priorities.get(key="road-safety").lead
    lead.role = "Chair of the Vision Zero Partnership"
    lead.save()
    paragraph = Paragraph.objects.get(chapter__version=new, chapter__key="priorities", key="priorities-1")
    paragraph.html = paragraph.html.replace("forthcoming year", "year ahead")
    paragraph.save()


@pytest.fixture
def in_review(kent, draft, kcst):
    """A 9.0 draft started from a published 8.0, with three changes, sent to the Working Group."""
    mark_published(draft)
    new = start_next_refresh(kent, by=kcst)
    change_three_things(new)
    transition(new, "send_to_working_group", kcst)
    new.refresh_from_db()
    return new


# Strategic assessment returns: the 2024-25 cycle open, a draft return for every current CSP.
@pytest.fixture
def cycle_2024(kent):
    import datetime

    from django.utils import timezone

    from assessments.cycles import open_cycle

    return open_cycle(kent, "2024-25", due_on=timezone.localdate() + datetime.timedelta(days=28))


@pytest.fixture
def ashford_return(cycle_2024):
    return cycle_2024.returns.select_related("cycle", "partnership").get(partnership__slug="ashford")


@pytest.fixture
def canterbury_return(cycle_2024):
    return cycle_2024.returns.select_related("cycle", "partnership").get(partnership__slug="canterbury")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Password hashing is deliberately slow; the tests create many users and never attack them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_run():
    """With a shared cache (make test's Redis), this run's keys start with a prefix of its own, so
    runs side by side never read or clear each other's entries. Yields the prefix."""
    if not uses_redis():
        yield None
        return
    prefix = f"test-{settings.DATABASES['default']['NAME']}-{os.getpid()}"
    cache_settings = {"default": {**settings.CACHES["default"], "KEY_PREFIX": prefix}}
    with override_settings(CACHES=cache_settings):  # Django's cache handler follows the change
        yield prefix


def uses_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def clear_cache() -> None:
    """Empties this run's cache: only this run's keys, where a shared Redis holds others too."""
    from django.core.cache import cache

    if not uses_redis():
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    if keys := list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000)):
        client.delete(*keys)


@pytest.fixture(autouse=True)
def empty_cache(cache_of_this_run):
    # Pages are cached (per process, or in Redis); each test starts without what another left.
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def settings_read_from(monkeypatch):
    """The settings module as it reads a given environment, loaded afresh beside the running one.

    A variable given as None is unset. The running settings are left as they are.
    """
    import importlib.util

    def load(**env: str | None):
        for name, value in env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", settings.BASE_DIR / "csa_site" / "settings.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
