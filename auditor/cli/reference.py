"""The command reference in docs/cli.md, generated from the commands themselves.

Like sqlite-utils' docs: the reference is made from the same objects that
parse the command line, and a test fails when docs/cli.md is out of step.
Regenerate with ``python -m auditor.cli.reference > docs/cli.md``.
"""

from typing import Any

import typer.main


def _param_line(param: Any) -> str:
    """One bullet per argument or option (click objects, typed loosely: typer vendors its own click)."""
    if param.param_type_name == "argument":
        text = (param.help or "").strip()
        return f"- `{param.name.upper()}` (argument{', required' if param.required else ''}): {text}".rstrip(": ")
    names = ", ".join(f"`{o}`" for o in param.opts)
    text = (param.help or "").strip()
    default = param.default
    shown = "" if default in (None, False, ()) or param.is_flag else f" (default: `{default}`)"
    env = f" [env: `{param.envvar}`]" if param.envvar else ""
    return f"- {names}: {text}{shown}{env}".rstrip()


def _command(name: str, command: Any, depth: int) -> list[str]:
    lines = [f"{'#' * depth} `{name}`", "", (command.help or "").strip(), ""]
    params = [p for p in command.params if p.name != "help"]
    if params:
        lines += [_param_line(p) for p in params] + [""]
    if hasattr(command, "commands"):
        for sub_name, sub in sorted(command.commands.items()):
            lines += _command(f"{name} {sub_name}", sub, depth + 1)
    return lines


def cli_reference() -> str:
    from auditor.cli import app

    root = typer.main.get_command(app)
    lines = [
        "# Command reference",
        "",
        "Generated from the commands by `python -m auditor.cli.reference > docs/cli.md`; a test keeps it in step.",
        "",
    ]
    for name, command in root.commands.items():
        lines += _command(f"auditor {name}", command, 2)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(cli_reference(), end="")
