"""`python -m movierec`: the `movierec` command, as torchrun starts it (`-m movierec train`)."""

from movierec.cli.main import cli

if __name__ == "__main__":
    cli(prog_name="movierec")
