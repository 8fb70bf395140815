"""The report's written parts: editors write them beside the numbers, with history and lost-update
protection; the Markdown is sanitised, and the same text is in the preview and the PDF."""

import pytest
from django.urls import reverse

from plans.models import FollowUpReport, ReportSection
from plans.reports.data import written_part_titles
from tests.reports.conftest import pdf_pages, squeeze
from tests.reports.jobs import download

pytestmark = pytest.mark.django_db

YEAR = 2022


def edit_url(world, key: str) -> str:
    return reverse("report_section_edit", args=[world.plan.pk, YEAR, key])


def detail_url(world) -> str:
    return reverse("report_detail", args=[world.plan.pk, YEAR])


def assessment_key(world) -> str:
    keys = written_part_titles(FollowUpReport(plan=world.plan, year=YEAR))
    return next(key for key in keys if key.startswith(("focus-", "priority-")))


def write(client, world, key: str, **texts):
    return client.post(edit_url(world, key), {"change_reason": "", "version": "", **texts})


@pytest.mark.parametrize(
    ("persona", "expected_code", "saved"),
    [
        ("editor", 302, True),
        ("staff", 302, True),
        ("approver", 404, False),
        ("reader", 404, False),
        ("other_editor", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_it_lets_only_an_editor_write(client, world, persona, expected_code, saved):
    response = write(world.login(client, persona), world, "summary", text="Året i korthet.")
    assert response.status_code == expected_code
    assert ReportSection.objects.filter(text="Året i korthet.").exists() == saved


def test_it_keeps_each_version_with_who_wrote_it(client, world):
    world.login(client, "editor")
    assert write(client, world, "summary", text="Första utkastet.").status_code == 302
    section = ReportSection.objects.get(key="summary")
    version = section.updated_at.isoformat()
    data = {"text": "Andra utkastet.", "version": version, "change_reason": "Kortare"}
    response = client.post(edit_url(world, "summary"), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#avsnitt-summary")
    versions = list(section.history.order_by("history_id"))
    assert [v.text for v in versions] == ["Första utkastet.", "Andra utkastet."]
    assert versions[-1].history_user == world.users["editor"]
    assert versions[-1].history_change_reason == "Kortare"
    # The report itself was created as a draft when the first part was written.
    assert FollowUpReport.objects.get(plan=world.plan, year=YEAR).status == FollowUpReport.Status.DRAFT


def test_it_refuses_a_lost_update(client, world):
    world.login(client, "editor")
    write(client, world, "funds", text="Medlen gick till samordnare.")
    section = ReportSection.objects.get(key="funds")
    loaded = section.updated_at.isoformat()
    client.post(edit_url(world, "funds"), {"text": "En kollegas text.", "version": loaded})
    response = client.post(edit_url(world, "funds"), {"text": "Min text.", "version": loaded})
    assert response.status_code == 409
    assert "En kollegas text." in response.content.decode()
    section.refresh_from_db()
    assert section.text == "En kollegas text."


def test_it_shows_the_form_inline_for_htmx_and_on_a_page_of_its_own(client, world):
    world.login(client, "editor")
    page = client.get(edit_url(world, "closing"))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    inline = client.get(edit_url(world, "closing"), headers={"HX-Request": "true"})
    assert "<html" not in inline.content.decode()
    assert 'name="text"' in inline.content.decode()
    assert client.get(edit_url(world, "no-such-part")).status_code == 404


def test_it_does_not_let_a_submitted_report_be_written(client, world):
    FollowUpReport.objects.create(plan=world.plan, year=YEAR, status=FollowUpReport.Status.SUBMITTED)
    response = write(world.login(client, "editor"), world, "summary", text="Sent ändring.")
    assert response.status_code == 302
    assert not ReportSection.objects.exists()


def test_it_renders_markdown_and_shows_a_script_as_text_in_page_and_pdf(client, world):
    world.login(client, "editor")
    write(
        client,
        world,
        "summary",
        text="Vi har **nått** målen.\n\n- SIP-samordnare\n- Suicidprevention\n\n"
        "<script>alert('x')</script>\n\n[Länk](javascript:alert(1)) och [webben](https://example.org)",
    )
    page = client.get(detail_url(world)).content.decode()
    assert "<strong>nått</strong>" in page
    assert "<li>SIP-samordnare</li>" in page
    assert "&lt;script&gt;alert" in page
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    assert 'href="https://example.org"' in page

    pdf = download(client, reverse("report_pdf", args=[world.plan.pk, YEAR]))
    text = "".join(pdf_pages(pdf.content))
    assert "<script>alert('x')</script>" in text
    assert "SIP-samordnare" in text


def test_it_puts_the_written_parts_in_the_pdf_in_order(client, world):
    world.login(client, "editor")
    area = assessment_key(world)
    write(client, world, "summary", text="Sammanfattande text om året.")
    write(
        client,
        world,
        area,
        achieved="Måluppfyllelsen beskrivs här.",
        analysis="Analysen av utfallet.",
        planning="Planeringen framåt.",
    )
    write(client, world, "funds", text="Statsbidraget användes till samordning.")
    write(client, world, "closing", text="Styrningen sker i länsledningen.")
    content = download(client, reverse("report_pdf", args=[world.plan.pk, YEAR])).content
    text = squeeze("".join(pdf_pages(content)))
    expected = [
        "Sammanfattande text om året.",
        "Måluppfyllelsen beskrivs här.",
        "Analysen av utfallet.",
        "Planeringen framåt.",
        "Statsbidraget användes till samordning.",
        "Styrningen sker i länsledningen.",
    ]
    positions = [text.index(squeeze(part)) for part in expected]
    assert positions == sorted(positions)
    # The same texts on the preview page.
    page = client.get(detail_url(world)).content.decode()
    assert all(part in page for part in expected)


def test_it_shows_the_numbers_a_writer_needs_beside_the_parts(client, world):
    page = world.login(client, "editor").get(detail_url(world)).content.decode()
    assert "Siffror att skriva utifrån" in page
    assert "Uppföljningar som saknas" in page
    assert "Skriv ”Sammanfattning”" in page
    # A reader sees the parts but no way to write them.
    page = world.login(client, "reader").get(detail_url(world)).content.decode()
    assert "Skriv ”Sammanfattning”" not in page


def test_it_writes_gavleborgs_2022_report_text_into_the_demo_report(client):
    from plans.demo import DEMO_DIR, load_demo_file
    from plans.national import load_national_data

    load_national_data()
    load_demo_file(DEMO_DIR / "X.json")
    report = FollowUpReport.objects.get(plan__county__letter_code="X", year=2022)
    parts = {section.key: section for section in report.sections.all()}
    assert {"summary", "funds", "closing", "focus-1", "focus-5"} <= set(parts)
    assert "SIP-samordnaruppdraget har utökats som planerat" in parts["focus-2"].achieved
    assert "Fortsatt rekrytering av lokala SIP-utbildare" in parts["focus-2"].planning
    # Organisations and roles only: no e-mail address.
    everything = " ".join(
        " ".join((section.text, section.achieved, section.analysis, section.planning))
        for section in parts.values()
    )
    assert "@" not in everything
