"""What a KCST officer does in the paragraph editor, for the browser tests."""

from playwright.sync_api import expect


def start_typing(page) -> None:
    """Into the editor, once it has taken the textarea's place (before that the textarea is the textbox)."""
    expect(page.locator("textarea[name=html]")).to_be_hidden()
    page.get_by_role("textbox", name="Text").click()


def insert_table(page, header: tuple[str, str], row: tuple[str, str]) -> None:
    """A two-column table with a header row and one row, typed cell by cell."""
    page.get_by_role("button", name="Insert table").click()
    page.get_by_label("Rows").fill("2")
    page.get_by_label("Columns").fill("2")
    page.get_by_label("Include header row").select_option(label="Yes")
    page.get_by_role("button", name="Insert Table", exact=True).click()
    for i, cell in enumerate((*header, *row)):
        if i:
            page.keyboard.press("Tab")  # the next cell (a Tab in the last cell would add a row)
        page.keyboard.type(cell)
