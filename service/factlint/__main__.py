"""``python -m factlint``: the command line (factlint.cli)."""
from .cli import main

main()
