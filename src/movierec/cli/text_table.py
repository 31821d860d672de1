"""Plain-text tables for the terminal: one for every command that prints rows."""


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    """`rows` under `headers`, each column as wide as its widest cell, two spaces apart."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [headers, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
