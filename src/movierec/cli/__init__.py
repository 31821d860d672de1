"""The `movierec` command: one click group, one small module per subcommand."""
