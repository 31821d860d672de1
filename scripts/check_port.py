#!/usr/bin/env python3
"""Say in one line, before a server starts, that its port is taken, and which one to use instead.

Usage: check_port.py PORT [COMMAND]   e.g.  check_port.py 8000 "make demo"
Exits 0 when 127.0.0.1:PORT is free, 2 when PORT is not a port number, 1 otherwise. Standard
library only: `make demo` runs it before the virtual environment exists.
"""

import errno
import socket
import sys

HOST = "127.0.0.1"


def port_problem(port: int) -> str | None:
    """Why a server could not listen on HOST:port, or None when it could."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the dev server does: a port whose last connections are still closing counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except PermissionError:
            return f"port {port} needs administrator rights"
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} is busy (another program is listening on {HOST}:{port})"
            return f"port {port} cannot be used ({error.strerror})"
    return None


def free_port_after(port: int) -> int | None:
    """The first free port above `port`, to suggest; None if none is near."""
    for candidate in range(port + 1, min(port + 50, 65536)):
        if port_problem(candidate) is None:
            return candidate
    return None


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: check_port.py PORT [COMMAND]", file=sys.stderr)
        return 2
    command = argv[2] if len(argv) == 3 else "make serve"
    text = argv[1].strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        print(f"PORT={text!r} is not a port number; give one from 1024 to 65535, e.g. "
              f"{command} PORT=8001", file=sys.stderr)
        return 2
    port = int(text)
    problem = port_problem(port)
    if problem is None:
        return 0
    other = free_port_after(max(port, 1023))
    suggestion = f"{command} PORT={other}" if other else f"{command} PORT=<a free port>"
    print(f"{problem}; stop that program or choose another port: {suggestion}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
