"""``auditor validate``: every problem in a set of files, each kind of file and how they fit together.

Above both the file loaders (``auditor.config``) and the campaign package (a campaign file is checked
as a whole here), so neither has to import the other.
"""

import json
from pathlib import Path
from typing import Any

from auditor.config import detect_kind, load_persona, load_scenario, load_store
from auditor.models import Persona, Store
from auditor.models.scenario import Scenario
from auditor.yamlfile import ConfigError, ConfigProblem, load_model, read_yaml


def load_any(path: Path | str) -> object:
    """Load a file of any kind (scenario, store, persona, rubric, campaign) or raise ConfigError."""
    kind = detect_kind(path)
    if kind == "scenario":
        return load_scenario(path)
    if kind == "store":
        return load_store(path)
    if kind == "persona":
        return load_persona(path)
    if kind == "rubric":
        from auditor.rubric import load_rubric

        return load_rubric(Path(path))
    from auditor.campaign.plan import load_campaign

    return load_campaign(path)


def validate_files(
    paths: list[Path], stores: list[Path] | None = None, personas: list[Path] | None = None
) -> list[ConfigProblem]:
    """Every problem in every file, in the order given; an empty list means all are valid and fit together.

    Each scenario is checked against each store (and persona) given with it, as a run would use them
    (``auditor.crossfile.check_fit``): a profile entry for every step, every product in the store's
    ``products``, every ``{placeholder}`` with a value. A campaign is checked as a whole: its own fields,
    every file it names, its rubric, and each store × scenario × persona it would run.
    ``stores``/``personas`` (``--store``/``--persona``) must be files of that kind."""
    from auditor.crossfile import check_fit

    problems: list[ConfigProblem] = []
    scenarios: list[tuple[Path, Scenario]] = []
    store_models: list[tuple[Path, Store]] = []
    persona_models: list[Persona | None] = []
    given = [(p, None) for p in paths] + [(p, "store") for p in stores or []] + [(p, "persona") for p in personas or []]
    for path, wanted in given:
        try:
            kind = detect_kind(path)
            if wanted is not None and kind != wanted:
                raise ConfigError(
                    [
                        ConfigProblem(
                            path=str(path), line=1, field="", message=f"given as --{wanted} but is a {kind} file"
                        )
                    ]
                )
            if kind == "campaign":
                problems.extend(validate_campaign(path))
                continue
            model = load_any(path)
        except ConfigError as error:
            problems.extend(error.problems)
            continue
        if isinstance(model, Scenario):
            scenarios.append((path, model))
        elif isinstance(model, Store):
            store_models.append((path, model))
        elif isinstance(model, Persona):
            persona_models.append(model)
    for scenario_path, scenario in scenarios:
        for store_path, store in store_models:
            for persona in persona_models or [None]:  # without a persona, persona.* is checked by name only
                problems.extend(check_fit(scenario_path, scenario, store_path, store, persona))
    return _unique(problems)


def validate_campaign(path: Path) -> list[ConfigProblem]:
    """A campaign file as a whole: its fields, each file it names, its rubric, and every run it plans."""
    from auditor.campaign.plan import CampaignSpec
    from auditor.crossfile import check_fit
    from auditor.rubric import load_rubric

    try:
        spec = load_model(path, CampaignSpec)
    except ConfigError as error:
        return error.problems
    problems: list[ConfigProblem] = []
    base = Path(path).parent
    groups: dict[str, list[tuple[Path, Any]]] = {"stores": [], "scenarios": [], "personas": []}
    loaders = {"stores": load_store, "scenarios": load_scenario, "personas": load_persona}
    for key, loader in loaders.items():
        for i, name in enumerate(getattr(spec, key)):
            target = base / name
            try:
                groups[key].append((target, loader(target)))
            except ConfigError as error:
                if not target.exists():
                    message = f"no such file: {target}"
                    problems.append(
                        ConfigProblem(
                            path=str(path), line=_line_at(path, (key, i)), field=f"{key}[{i}]", message=message
                        )
                    )
                else:
                    problems.extend(error.problems)
    try:
        load_rubric(spec.rubric)
    except ConfigError as error:
        problems.extend(
            ConfigProblem(path=str(path), line=_line_at(path, ("rubric",)), field="rubric", message=str(p))
            for p in error.problems
        )
    for scenario_path, scenario in groups["scenarios"]:
        for store_path, store in groups["stores"]:
            for _, persona in groups["personas"] or [(None, None)]:
                problems.extend(check_fit(scenario_path, scenario, store_path, store, persona))
    return _unique(problems)


def _unique(problems: list[ConfigProblem]) -> list[ConfigProblem]:
    """Each problem once (several personas or campaigns can find the same one)."""
    return list({str(p): p for p in problems}.values())


def _line_at(path: Path, loc: tuple[int | str, ...]) -> int | None:
    from auditor.crossfile import _line_at as line_in_tree

    _, node = read_yaml(path)
    return line_in_tree(node, loc)


def json_schemas() -> dict[str, dict]:
    """JSON Schemas by file kind, for editors (``# yaml-language-server: $schema=...``)."""
    store = Store.model_json_schema()
    store["properties"]["extends"] = {"type": "string", "description": "a store profile file to start from"}
    store["required"] = []  # a profile that extends another may set only what differs
    schemas: dict[str, dict] = {
        "scenario": Scenario.model_json_schema(),
        "store": store,
        "persona": Persona.model_json_schema(),
    }
    try:
        from auditor.rubric import rubric_json_schema

        schemas["rubric"] = rubric_json_schema()
    except ImportError:
        pass
    try:
        from auditor.campaign.plan import CampaignSpec

        schemas["campaign"] = CampaignSpec.model_json_schema()
    except ImportError:
        pass
    return schemas


def write_schemas(directory: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind into ``directory``; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in json_schemas().items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        path = directory / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
