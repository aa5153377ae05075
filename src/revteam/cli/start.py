"""The entry point of the `revteam` console script and of `python -m revteam`.

The cyclic garbage collector is off from before the first import until the command's database is
open (`options.collect_from_here`). Start-up (Typer, Rich, SQLAlchemy, the tables, the command
tree, the engine) makes hundreds of thousands of objects that live as long as the process: the
collector passing over them again and again as they pile up cost a light command about a sixth
of its CPU (bench/cli_startup.py). A command that never opens a database (a help, `playbook
validate`) ends without it. `main.run` called in a process of its own (the tests) leaves it alone.

When the command is done, whatever it made is frozen too: the interpreter's last collection, as it
exits, would otherwise walk every object start-up made (all of them for a command that never
turned the collector back on: a sixth of `revteam --help`'s CPU) to free what the exit frees anyway.
"""

import gc


def run() -> None:
    gc.disable()
    from revteam.cli.main import run as run_command_line

    try:
        run_command_line()
    finally:
        gc.freeze()
