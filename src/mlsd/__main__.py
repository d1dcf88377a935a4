"""Allow `python -m mlsd`."""
from .cli import main

main()
