"""The operator's command line: one module per noun, each command calls one core function."""
