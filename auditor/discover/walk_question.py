"""The ``ask_question`` entry: the contact page, its fields and its send button; nothing is sent.

The fields are typed during discovery so a step that does not work fails here, not in the run; the
send button is recorded only. A store without a recognised contact form gets an empty entry, and the
scenario's step does nothing there.
"""

from auditor.discover.fields import VALUES, classify_field
from auditor.discover.locators import action_locator, control_locator
from auditor.discover.record import Entry, Recorder
from auditor.discover.scan import PageScan, scan
from auditor.models.steps import PrimitiveStep
from auditor.shopper.errors import StepFailed


async def contact(r: Recorder, home_scan: PageScan) -> None:
    """The contact page by its link from the home page: its fields are typed now, never sent."""
    link = next(
        (a for a in home_scan.actions if a.role == "link" and a.href and r.lex.is_action("contact", a.name)),
        None,
    )
    if link is None:
        r.walk.profile["ask_question"] = []
        r.walk.notes.append("no contact link by accessible name: ask_question left empty (skipped)")
        return
    entries: list[Entry] = [
        Entry(step={"visit": r.rel(link.href)}, how=f"link {link.name!r} (contact lexicon)", confidence=0.85)
    ]
    try:
        await r.s.goto(link.href)
    except StepFailed as exc:
        r.walk.profile["ask_question"] = []
        await r.todo("ask_question", f"the contact link {link.name!r} did not open: {exc.reason}")
        return
    await r.settle()
    page_scan = await scan(r.page)
    values = {**VALUES, "message": "{text}", "subject": "{subject}"}
    kinds: set[str] = set()
    for control in page_scan.controls:
        guess = classify_field(control, r.lex)
        located = control_locator(control)
        if located is None:
            continue
        if control.tag == "select":  # a topic to choose: the first real option, if one must be chosen
            options = [value for value, _ in control.options if value]
            if control.required and not control.value and options:
                step = {"select": {"locator": located[0], "value": options[0]}}
                entries.append(
                    Entry(step=step, how=f"required choice {control.label!r}: its first option", confidence=0.5)
                )
            continue
        if guess is None or guess.kind not in values or guess.kind == "quantity" or control.type == "checkbox":
            continue
        kinds.add(guess.kind)
        step = {"fill": {"locator": located[0], "value": values[guess.kind]}}
        entries.append(Entry(step=step, how=f"{guess.signal}; located by {located[1]}", confidence=guess.confidence))
    params = {"text": "(discovery: not sent)", "subject": "(discovery: not sent)"}
    for entry in entries[1:]:  # typed now, never sent: a step that does not work fails here, not in the run
        await r.s.run_step(PrimitiveStep.model_validate(entry.step), params)
    send = await r.find_action("send", page_scan)
    if send is None or "message" not in kinds:
        r.walk.profile["ask_question"] = []
        await r.todo("ask_question", "a contact page without a recognised message field and send button")
        return
    action, how = send
    locator, by = await action_locator(r.page, action)
    entries.append(
        Entry(
            step={"click": {"locator": locator, "submits": "question", "idle": True}},
            how=f"{how}; {by}",
            confidence=0.85,
        )
    )
    r.walk.profile["ask_question"] = entries
    r.walk.notes.append("ask_question: found, not sent during discovery (the first run sends it)")
