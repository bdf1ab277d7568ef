"""A conference's agenda and action list as a file for the meeting: PDF (WeasyPrint, tagged)
and Word (python-docx). The content is read once from the records the access layer allowed
(`agenda_content`); the renderers never read the database, as in reports/renderers."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from safer.safeguarding.models import Conference


@dataclass(frozen=True)
class ActionLine:
    case: str
    owner: str
    text: str
    due: str
    status: str


@dataclass(frozen=True)
class CaseLine:
    position: int
    victim: str
    referral: str
    referred_by: str
    reason: str
    repeat: bool
    research: list[tuple[str, str]]
    risks: str
    outcome: str


@dataclass(frozen=True)
class AgendaContent:
    title: str
    reference: str
    chair: str
    coordinator: str
    attending: list[str]
    cases: list[CaseLine] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)


def agenda_content(conference: Conference) -> AgendaContent:
    cases: list[CaseLine] = []
    action_lines: list[ActionLine] = []
    for case in conference.cases.select_related(
        "referral", "referral__person", "referral__organisation"
    ).prefetch_related("research__organisation", "actions__owner"):
        referral = case.referral
        cases.append(
            CaseLine(
                position=case.position,
                victim=f"{referral.person.full_name} ({referral.person.reference})",
                referral=referral.reference,
                referred_by=f"{referral.organisation} on {referral.referred_on:%-d %B %Y}",
                reason=referral.get_reason_display()
                + (f": {referral.concern}" if referral.concern else ""),
                repeat=referral.is_repeat,
                research=[(r.organisation.name, r.text) for r in case.research.all()],
                risks=case.risks,
                outcome=case.outcome,
            )
        )
        action_lines.extend(
            ActionLine(
                case=f"Case {case.position} ({referral.reference})",
                owner=action.owner.name,
                text=action.text,
                due=f"{action.due_on:%-d %B %Y}",
                status=action.get_status_display(),
            )
            for action in case.actions.all()
        )
    return AgendaContent(
        title=str(conference),
        reference=conference.reference,
        chair=conference.chair,
        coordinator=str(conference.organisation),
        attending=[str(a) for a in conference.attending.order_by("name")],
        cases=cases,
        actions=action_lines,
    )


def agenda_html(content: AgendaContent) -> str:
    return render_to_string("safeguarding/agenda_print.html", {"agenda": content})


def agenda_pdf(content: AgendaContent) -> bytes:
    from safer.reports.renderers.pdf import html_to_pdf

    return html_to_pdf(agenda_html(content))


def agenda_docx(content: AgendaContent) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = f"Agenda: {content.title}"
    doc.sections[0].header.paragraphs[0].text = "CONFIDENTIAL: attending agencies only"
    doc.add_heading(f"Agenda: {content.title}", level=0)
    doc.add_paragraph(
        f"{content.reference} · Chair: {content.chair} · Coordinated by {content.coordinator}"
    )
    doc.add_paragraph("Attending: " + ", ".join(content.attending))
    doc.add_heading("Cases", level=1)
    for case in content.cases:
        repeat = " (repeat)" if case.repeat else ""
        doc.add_heading(f"Case {case.position}: {case.victim}{repeat}", level=2)
        doc.add_paragraph(f"Referral {case.referral} by {case.referred_by}. {case.reason}")
        for agency, text in case.research:
            doc.add_paragraph(f"{agency}: {text}", style="List Bullet")
        if case.risks:
            doc.add_paragraph(f"Risks discussed: {case.risks}")
        if case.outcome:
            doc.add_paragraph(f"Outcome: {case.outcome}")
    doc.add_heading("Action list", level=1)
    if content.actions:
        header = ["Case", "Agency", "Action", "Due", "Status"]
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for line in content.actions:
            values = [line.case, line.owner, line.text, line.due, line.status]
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
    else:
        doc.add_paragraph("No actions yet.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
