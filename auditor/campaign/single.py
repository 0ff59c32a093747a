"""A single run as a one-cell campaign, so `auditor run` and `auditor check` share the campaign machinery."""

from pathlib import Path

from auditor.campaign.plan import Campaign, CampaignSpec, require_fit


def single_run_campaign(scenario: Path, store: Path, persona: Path, mailbox: dict, rubric: str) -> Campaign:
    from auditor.config import load_persona, load_scenario, load_store

    loaded_store = load_store(store)
    loaded_scenario = load_scenario(scenario)
    loaded_persona = load_persona(persona)
    require_fit([(scenario, loaded_scenario, store, loaded_store, loaded_persona)])
    spec = CampaignSpec(
        id=f"run-{loaded_store.id}",
        rubric=rubric,
        stores=[str(store)],
        scenarios=[str(scenario)],
        personas=[str(persona)],
        concurrency=1,
        mailbox=mailbox,
    )
    return Campaign(spec=spec, stores=[loaded_store], scenarios=[loaded_scenario], personas=[loaded_persona])
