"""What every page carries around its content: a skip link, the theme switch, colours readable in
both themes; and the API docs page's way back to the site."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

PAGES = ["/", "/movies/1/", "/search/?q=toy", "/accounts/login/", "/no-such-page/"]
FOCUSABLE = {"a", "button", "input", "select", "textarea"}


class FirstFocusable(HTMLParser):
    """The first element of <body> a keyboard's Tab reaches, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.in_body = False
        self.found: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_body = self.in_body or tag == "body"
        named = dict(attrs)
        focusable = tag in FOCUSABLE and named.get("type") != "hidden" and "hidden" not in named
        if self.in_body and self.found is None and focusable and named.get("tabindex") != "-1":
            self.found = (tag, named)


@pytest.mark.parametrize("url", PAGES)
def test_the_first_stop_of_the_keyboard_skips_to_the_content(client, url):
    html = client.get(url).content.decode()
    parser = FirstFocusable()
    parser.feed(html)
    tag, attributes = parser.found
    assert (tag, attributes.get("href"), attributes.get("class")) == ("a", "#content", "skip-link")
    assert re.search(r'<main[^>]*\bid="content"', html), "the link's target is the main content"


def test_the_skip_link_shows_when_focused():
    css = _stylesheet()
    assert re.search(r"\.skip-link\s*\{[^}]*transform:\s*translateY\(-", css), "out of sight"
    assert re.search(r"\.skip-link:focus\s*\{[^}]*transform:\s*none", css), "seen on focus"


def test_the_header_has_a_theme_switch_that_scripts_reveal(client):
    html = client.get("/").content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    switch = re.search(r"<button[^>]*data-theme-switch[^>]*>", header)
    assert switch, "the switch sits in the header"
    for attribute in ('type="button"', "hidden", 'aria-pressed="false"', 'aria-label="Dark theme"'):
        assert attribute in switch.group(0), attribute
    # Loaded before <body>, not deferred: the chosen theme is on before the first paint.
    head = html.split("</head>", 1)[0]
    theme_script = re.search(r'<script src="/static/movierec/theme\.js"[^>]*>', head)
    assert theme_script and "defer" not in theme_script.group(0)
    assert "async" not in theme_script.group(0)


def test_the_theme_script_is_served(client):
    script = b"".join(client.get("/static/movierec/theme.js").streaming_content).decode()
    assert "localStorage" in script and "data-theme-switch" in script


def _stylesheet() -> str:
    with open(finders.find("movierec/site.css"), encoding="utf-8") as css:
        return css.read()


def _palettes() -> tuple[dict[str, str], dict[str, str]]:
    """The light and the dark value of each colour given with light-dark() in site.css."""
    declaration = r"--([\w-]+):\s*light-dark\((#[0-9a-f]{6}),\s*(#[0-9a-f]{6})\)"
    pairs = re.findall(declaration, _stylesheet())
    light = {name: first for name, first, _ in pairs}
    dark = {name: second for name, _, second in pairs}
    return light, dark


def _luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio, 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


BACKGROUNDS = ("bg", "surface", "surface-2")
TEXT = ("text", "muted", "accent-2", "reason", "danger", "ok")  # read as words: 4.5:1
MARKS = ("gold", "star-off", "control-line")  # stars and form borders: 3:1 (WCAG 1.4.11)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_stars_buttons_and_fields_are_readable_in_both_themes(theme):
    light, dark = _palettes()
    palette = light if theme == "light" else dark
    assert set(TEXT + MARKS + BACKGROUNDS + ("button", "button-hover")) <= set(palette)
    for background in BACKGROUNDS:
        for name in TEXT:
            ratio = contrast(palette[name], palette[background])
            assert ratio >= 4.5, f"{theme}: {name} on {background} is {ratio:.2f}:1"
    for background in ("bg", "surface"):
        for name in MARKS:
            ratio = contrast(palette[name], palette[background])
            assert ratio >= 3, f"{theme}: {name} on {background} is {ratio:.2f}:1"
    for button in ("button", "button-hover"):
        assert contrast("#ffffff", palette[button]) >= 4.5, f"{theme}: white on {button}"


def test_the_two_themes_differ_and_the_switch_can_force_either():
    light, dark = _palettes()
    assert _luminance(light["bg"]) > 0.8 > 0.05 > _luminance(dark["bg"])
    css = _stylesheet()
    assert re.search(r'\[data-theme="light"\]\s*\{\s*color-scheme:\s*light;', css)
    assert re.search(r'\[data-theme="dark"\]\s*\{\s*color-scheme:\s*dark;', css)


def test_the_api_docs_lead_back_to_the_site_and_fit_a_phone(client):
    html = client.get("/api/docs").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    back = re.search(r'<a class="docs-back" href="([^"]+)">([^<]+)</a>', html)
    assert back and back.group(1) == "/" and "movierec" in back.group(2)
    # Still ninja's page: the settings and the scripts Swagger UI starts from.
    assert 'id="swagger-settings"' in html and "/static/ninja/swagger-ui-init.js" in html
    assert client.get("/static/movierec/api-docs.css").status_code == 200
