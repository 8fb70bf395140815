"""The keyboard alone, in Chromium: the coordinator's week and the public pages.

Every Tab must move the focus on (no trap), every element that gets the focus must look different
from how it looks without it (a visible focus style), and the first Tab of a page must reach the
"skip to content" link, which moves the focus into the main content.
"""

import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from accessibility.models import AccessibilityStatement
from activities.models import Activity
from plans.models import Plan
from publication.models import DEFAULT_INTERNAL_FIELDS, Licence
from publication.services import publish_plan
from tests.personas import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# After each Tab: what has the focus, whether it matches the selector looked for, and whether the
# element that had it before looked different while focused than it does now.
FOCUS = """(selector) => {
  const element = document.activeElement;
  const style = e => {
    if (!e || e === document.body) return '';
    const s = getComputedStyle(e);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
            s.textDecorationLine, s.borderColor, s.borderWidth].join(' ');
  };
  // A checkbox's focus may be drawn round its label, a row's round its cell.
  const looks = e => [e, e && e.parentElement, e && e.closest('label')].map(style).join(' / ');
  const text = e => (e.innerText || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 50);
  const name = e => e === document.body ? 'body'
    : `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${text(e)}"`;
  const main = document.querySelector('main');
  const result = {
    name: name(element),
    body: element === document.body,
    moved: element !== window.kbPrevious,
    matches: selector ? element.matches(selector) : false,
    // In the main content, or past it when it has nothing to focus.
    fromMainOn: main.contains(element) || Boolean(main.compareDocumentPosition(element) & 4),  // 4: following
    skipLink: element.classList.contains('skip-link'),
  };
  const previous = window.kbPrevious;
  if (previous && previous !== document.body && previous !== element && previous.isConnected) {
    result.previousShowedFocus = looks(previous) !== window.kbPreviousLooks;
    result.previousName = name(previous);
  }
  window.kbPrevious = element;
  window.kbPreviousLooks = looks(element);
  return result;
}"""


class Keyboard:
    """Drives a page by the keyboard alone and remembers what it found wrong."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.without_focus_style: set[str] = set()

    def tab(self, *, backwards: bool = False, selector: str = "") -> dict:
        self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focus = self.page.evaluate(FOCUS, selector)
        if focus.get("previousShowedFocus") is False:
            self.without_focus_style.add(f"{self.page.url}: {focus['previousName']}")
        return focus

    def tab_to(self, selector: str, *, limit: int = 250) -> None:
        """Tab until an element matching ``selector`` has the focus; every Tab must move it."""
        for _ in range(limit):
            focus = self.tab(selector=selector)
            assert focus["moved"] or focus["body"], f"Tab did not move on from {focus['name']}: a trap"
            if focus["matches"]:
                return
        raise AssertionError(f"{selector} not reached by Tab on {self.page.url}")

    def follow(self, key: str = "Enter") -> None:
        """Press a key that loads a page (a link, a form's submit)."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def check_page(self) -> None:
        """The skip link comes first and works; tabbing goes round the whole page and back."""
        autofocus = self.page.evaluate(
            "window.kbPrevious = document.activeElement; document.activeElement.id"
        )
        if autofocus:
            # A page that puts the focus in its one field (the login form): the skip link is still
            # the first stop of the page, a few Shift+Tabs back.
            for _ in range(5):
                if self.tab(backwards=True)["skipLink"]:
                    break
            else:
                raise AssertionError(f"no skip link before #{autofocus} on {self.page.url}")
        else:
            first = self.tab()
            assert first["skipLink"], f"first Tab on {self.page.url} reached {first['name']}"
        box = self.page.locator(".skip-link").bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0, "the skip link is not shown when it has the focus"
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"
        assert self.tab()["fromMainOn"], (
            f"after the skip link, Tab went back before the content on {self.page.url}"
        )
        # Round the page: the focus must come back to the skip link (no trap on the way).
        for _ in range(600):
            focus = self.tab()
            assert focus["moved"] or focus["body"], f"Tab did not move on from {focus['name']}: a trap"
            if focus["skipLink"]:
                break
        else:
            raise AssertionError(f"Tab never came back round {self.page.url}")
        # Shift+Tab goes back as well.
        assert self.tab(backwards=True)["moved"]


@pytest.fixture
def world() -> World:
    return World.build(activities=3)


def test_it_walks_the_coordinators_week_by_keyboard(page, live_server, world):
    keyboard = Keyboard(page, live_server)
    plan = world.tree.plan
    activity = world.tree.activities[1]

    # Log in.
    page.goto(live_server.url + reverse("login"))
    keyboard.check_page()
    keyboard.tab_to("input[name=username]")
    page.keyboard.type("samordnare")
    keyboard.tab_to("input[name=password]")
    page.keyboard.type("password")
    keyboard.follow()
    assert urlparse(page.url).path == reverse("home")
    keyboard.check_page()

    # Open the county, then the plan.
    keyboard.tab_to(f'main a[href="{reverse("county_detail", args=["BD"])}"]')
    keyboard.follow()
    assert urlparse(page.url).path == reverse("county_detail", args=["BD"])
    keyboard.check_page()
    keyboard.tab_to(f'main a[href="{reverse("plan_detail", args=[plan.pk])}"]')
    keyboard.follow()
    assert urlparse(page.url).path == reverse("plan_detail", args=[plan.pk])
    keyboard.check_page()

    # Change an activity's status in the matrix (htmx saves on the change), and press Save as well.
    status_url = "**" + reverse("activity_status", args=[activity.pk])
    keyboard.tab_to(f'select[id$="status-{activity.pk}"]')
    saved = activity.status
    with page.expect_response(status_url):
        page.keyboard.press("ArrowDown")
    # htmx has swapped the row in and settled: its form is enhanced again before Enter is pressed
    # (pressed during the swap, Enter would post the form without htmx and reload the page).
    page.locator(f"#aktivitet-{activity.pk} .saved").wait_for()
    page.wait_for_function("() => !document.querySelector('.htmx-swapping, .htmx-settling, .htmx-added')")
    # The row was replaced; the focus is still on the menu, not thrown back to the top of the page.
    assert page.evaluate("document.activeElement.name") == "status"
    keyboard.tab_to(f"#aktivitet-{activity.pk} button[type=submit]")
    with page.expect_response(status_url):
        page.keyboard.press("Enter")
    page.locator(f"#aktivitet-{activity.pk} .saved").wait_for()
    activity.refresh_from_db()
    assert activity.status != saved
    # ... and still on the button after its save.
    assert page.evaluate(
        f"document.querySelector('#aktivitet-{activity.pk} button[type=submit]') === document.activeElement"
    )
    assert Activity.history.filter(id=activity.pk).count() >= 2

    # Open the year's follow-up report.
    keyboard.tab_to(f'main a[href="{reverse("report_list", args=[plan.pk])}"]')
    keyboard.follow()
    year = plan.years[-1]
    keyboard.tab_to(f'main a[href="{reverse("report_detail", args=[plan.pk, year])}"]')
    keyboard.follow()
    assert urlparse(page.url).path == reverse("report_detail", args=[plan.pk, year])
    keyboard.check_page()

    assert keyboard.without_focus_style == set()


def test_it_walks_the_public_pages_by_keyboard(page, live_server, world):
    AccessibilityStatement.load()
    plan = world.tree.plan
    plan.status = Plan.Status.ADOPTED
    plan.save()
    publication = publish_plan(
        plan=plan, user=world.users["editor"], licence=Licence.CC_BY, internal_fields=DEFAULT_INTERNAL_FIELDS
    )
    keyboard = Keyboard(page, live_server)

    # From the public start page to the county and its published plan.
    page.goto(live_server.url + reverse("public_start"))
    keyboard.check_page()
    keyboard.tab_to(f'main a[href="{reverse("public_county", args=["BD"])}"]')
    keyboard.follow()
    keyboard.check_page()
    plan_url = reverse("public_plan", args=["BD", publication.slug])
    keyboard.tab_to(f'main a[href="{plan_url}"]')
    keyboard.follow()
    assert urlparse(page.url).path == plan_url
    keyboard.check_page()

    for url in (reverse("login"), reverse("password_reset"), reverse("accessibility_statement")):
        page.goto(live_server.url + url)
        keyboard.check_page()
    # The statement is reached from the footer of any page by the keyboard.
    page.goto(live_server.url + reverse("login"))
    keyboard.tab_to(f'footer a[href="{reverse("accessibility_statement")}"]')
    keyboard.follow()
    assert urlparse(page.url).path == reverse("accessibility_statement")
    keyboard.tab_to('a[href="https://www.digg.se/tdosanmalan"]')
    assert keyboard.without_focus_style == set()


def test_it_would_notice_an_invisible_focus_and_a_trap(page, live_server):
    """The checks above are only worth something if they can fail."""
    AccessibilityStatement.load()
    page.goto(live_server.url + reverse("accessibility_statement"))
    keyboard = Keyboard(page, live_server)
    page.evaluate(
        """() => {
          const link = document.querySelector('main a');
          link.classList.add('no-focus');
          const sheet = new CSSStyleSheet();
          sheet.replaceSync('a.no-focus:focus-visible { outline: none; box-shadow: none; }');
          document.adoptedStyleSheets = [sheet];
        }"""
    )
    keyboard.tab_to("main a.no-focus")
    keyboard.tab()
    assert [name.split(": ", 1)[1][:2] for name in keyboard.without_focus_style] == ["a "]
    # A field that sends the focus back to itself on every Tab.
    page.evaluate(
        """() => {
          const field = document.querySelector('#language');
          field.addEventListener('keydown', event => { if (event.key === 'Tab') event.preventDefault(); });
        }"""
    )
    with pytest.raises(AssertionError, match="trap"):
        keyboard.tab_to("#language")
        keyboard.tab_to("footer a")


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS colours given as "rgb(r, g, b)"."""

    def luminance(colour: str) -> float:
        channels = [int(part) / 255 for part in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_it_shows_the_focus_in_3_to_1_contrast_on_white_and_on_the_header(page, live_server):
    """WCAG 1.4.11: a focus indicator has 3:1 against what it sits on, in the content and the header."""
    AccessibilityStatement.load()
    page.goto(live_server.url + reverse("accessibility_statement"))
    keyboard = Keyboard(page, live_server)
    for selector, background in (("header nav a", ".site-header"), ("main a", "body")):
        keyboard.tab_to(selector)
        ring = page.evaluate(
            """() => {
              const s = getComputedStyle(document.activeElement);
              return [s.outlineColor, (s.boxShadow.match(/rgba?\\([^)]*\\)/) || ['rgb(255, 255, 255)'])[0]];
            }"""
        )
        behind = page.evaluate(f"getComputedStyle(document.querySelector('{background}')).backgroundColor")
        assert max(contrast(colour, behind) for colour in ring) >= 3, (selector, ring, behind)
