"""`python main.py …` does the same as the `overload` command."""

from overload.cli.app import main

if __name__ == "__main__":
    main()
