"""Which shop platform a page comes from: generator tags, asset paths, cookies, script globals.

The rules are data (``platforms.yaml``), each a regular expression with a weight by kind of
signal: a generator tag says it outright, a script global or a cookie is strong, an asset path
or a phrase in the source is a hint. Detection only reads; a bundled profile is used only for
platforms a test drives end to end here (``profile:`` in the rules).
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from playwright.async_api import BrowserContext, Page
from pydantic import BaseModel, Field

RULES = Path(__file__).parent / "platforms.yaml"
PROFILES = Path(__file__).parent / "platforms"
WEIGHTS = {"generator": 5, "globals": 3, "cookies": 2, "assets": 2, "html": 1}
THRESHOLD = 3


class PlatformRule(BaseModel):
    generator: list[str] = Field(default_factory=list)
    assets: list[str] = Field(default_factory=list)
    cookies: list[str] = Field(default_factory=list)
    globals: list[str] = Field(default_factory=list)
    html: list[str] = Field(default_factory=list)
    profile: str | None = None


class PageSignals(BaseModel):
    """What a page shows about its make: plain data, so the rules can be tested without a browser."""

    generator: list[str] = Field(default_factory=list)
    assets: list[str] = Field(default_factory=list)
    cookies: list[str] = Field(default_factory=list)
    globals: list[str] = Field(default_factory=list)
    html: str = ""


@dataclass
class PlatformGuess:
    platform: str | None
    score: int = 0
    evidence: list[str] = field(default_factory=list)
    profile: Path | None = None

    def describe(self) -> str:
        if self.platform is None:
            return "no platform recognised"
        return f"{self.platform} (score {self.score}: {'; '.join(self.evidence[:4])})"


@cache
def rules() -> dict[str, PlatformRule]:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return {name: PlatformRule.model_validate(rule) for name, rule in data.items()}


def known_globals() -> list[str]:
    return sorted({g for rule in rules().values() for g in rule.globals})


def detect_platform(signals: PageSignals) -> PlatformGuess:
    """The best-scoring platform at or above the threshold, with the signals that named it."""
    best = PlatformGuess(None)
    for name, rule in rules().items():
        score, evidence = 0, []
        for kind in ("generator", "assets", "cookies"):
            values: list[str] = getattr(signals, kind)
            for pattern in getattr(rule, kind):
                hit = next((v for v in values if re.search(pattern, v, re.I)), None)
                if hit is not None:
                    score += WEIGHTS[kind]
                    evidence.append(f"{kind} {hit[:80]!r} ~ /{pattern}/")
        for name_ in rule.globals:
            if name_ in signals.globals:
                score += WEIGHTS["globals"]
                evidence.append(f"global window.{name_}")
        for pattern in rule.html:
            if re.search(pattern, signals.html):
                score += WEIGHTS["html"]
                evidence.append(f"source ~ /{pattern}/")
        if score >= THRESHOLD and score > best.score:
            profile = PROFILES / rule.profile if rule.profile else None
            best = PlatformGuess(name, score, evidence, profile)
    return best


GATHER_JS = """(names) => ({
  generator: [...document.querySelectorAll('meta[name=generator i]')].map(m => m.content || ''),
  assets: [...document.querySelectorAll('script[src], link[href], img[src]')].map(e => e.src || e.href).slice(0, 400),
  globals: names.filter(n => n.split('.').reduce((o, k) => (o == null ? undefined : o[k]), window) !== undefined),
  html: document.documentElement.outerHTML.slice(0, 300000),
})"""


async def page_signals(page: Page, context: BrowserContext) -> PageSignals:
    data = await page.evaluate(GATHER_JS, known_globals())
    data["cookies"] = [c["name"] for c in await context.cookies()]
    return PageSignals.model_validate(data)
